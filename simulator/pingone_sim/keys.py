"""Environment signing keys and JWK helpers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from .errors import new_id

# JWK members that only exist in private or symmetric keys (RFC 7518 section 6).
PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "k", "oth")

RSA_ALGS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512")
EC_ALGS = ("ES256", "ES384", "ES512")
HMAC_ALGS = ("HS256", "HS384", "HS512")


@dataclass
class SigningKey:
    """The RSA key an environment signs its access tokens with."""

    kid: str
    private_key: rsa.RSAPrivateKey

    @classmethod
    def generate(cls) -> SigningKey:
        """Create a new 2048-bit RSA key with a random kid."""
        return cls(kid=new_id(), private_key=rsa.generate_private_key(public_exponent=65537, key_size=2048))

    def to_pem(self) -> str:
        """Serialise the private key (for the state file)."""
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode("ascii")

    @classmethod
    def from_pem(cls, kid: str, pem: str) -> SigningKey:
        """Load a key saved with to_pem."""
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("signing key is not an RSA key")
        return cls(kid=kid, private_key=key)

    def public_jwk(self) -> dict[str, Any]:
        """The public key as published at /as/jwks."""
        jwk = RSAAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        return {"kty": "RSA", "e": jwk["e"], "kid": self.kid, "use": "sig", "alg": "RS256", "n": jwk["n"]}


def parse_jwks(value: Any) -> list[dict[str, Any]]:
    """Check an application's ``jwks`` string and return its keys.

    Raises ValueError with a human readable reason when the value is not a string holding
    a JSON JWKS with a non-empty ``keys`` list of public keys.
    """
    if not isinstance(value, str):
        raise ValueError("jwks must be a string holding a JSON Web Key Set")
    try:
        doc = json.loads(value)
    except ValueError as exc:
        raise ValueError("jwks is not valid JSON") from exc
    return check_jwks_document(doc)


def check_jwks_document(doc: Any) -> list[dict[str, Any]]:
    """Check a parsed JWKS document (also used for documents fetched from jwksUrl)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("keys"), list) or not doc["keys"]:
        raise ValueError("jwks must be a JSON object with a non-empty 'keys' array")
    keys = doc["keys"]
    for index, key in enumerate(keys):
        if not isinstance(key, dict):
            raise ValueError(f"jwks key {index} is not a JSON object")
        private = [name for name in PRIVATE_MEMBERS if name in key]
        if private:
            raise ValueError(f"jwks key {index} contains private key members ({', '.join(private)}); only public keys are allowed")
        try:
            load_public_key(key)
        except ValueError as exc:
            raise ValueError(f"jwks key {index} is not a usable public key: {exc}") from exc
    return keys


def load_public_key(jwk: dict[str, Any]) -> Any:
    """Turn a public JWK into a cryptography key object (ValueError when unusable)."""
    kty = jwk.get("kty")
    try:
        if kty == "RSA":
            return RSAAlgorithm.from_jwk(jwk)
        if kty == "EC":
            return ECAlgorithm.from_jwk(jwk)
        if kty == "OKP":
            return OKPAlgorithm.from_jwk(jwk)
    except Exception as exc:  # pylint: disable=broad-exception-caught  # PyJWT raises several types
        raise ValueError(str(exc) or "invalid key parameters") from exc
    raise ValueError(f"unsupported kty {kty!r}")


def key_fits_alg(jwk: dict[str, Any], alg: str) -> bool:
    """Whether a JWK can verify a signature made with ``alg``."""
    if jwk.get("alg") and jwk["alg"] != alg:
        return False
    if jwk.get("use") and jwk["use"] != "sig":
        return False
    if alg in RSA_ALGS:
        return jwk.get("kty") == "RSA"
    if alg in EC_ALGS:
        return jwk.get("kty") == "EC"
    return False
