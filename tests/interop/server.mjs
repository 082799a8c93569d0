// An independent, OpenID-certified authorization server (panva's oidc-provider) on loopback, for
// interop tests of pingone_par_check and pingone_token_check. Usage:
//   node server.mjs <clients.json> <ready-file>
// clients.json holds oidc-provider client metadata; the server listens on 127.0.0.1 on a free port
// and writes {"issuer": ...} to the ready file.
import fs from 'node:fs';
import http from 'node:http';
import Provider from 'oidc-provider';

const [clientsFile, readyFile] = process.argv.slice(2);
const clients = JSON.parse(fs.readFileSync(clientsFile, 'utf8'));

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients,
    features: {
      clientCredentials: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
      requestObjects: { enabled: true },
      devInteractions: { enabled: false },
    },
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'],
    pkce: { required: () => true },
  });
  provider.proxy = false;
  server.on('request', provider.callback());
  fs.writeFileSync(readyFile, JSON.stringify({ issuer, pid: process.pid }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
