# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""The typed parameters of an authorization request (OIDC Core 3.1.2.1, RFC 7636, OAuth 2.0 response modes) as
module options: their argument spec, their checks before any request, and their values in the request.

Values keep their JSON types (``max_age`` is an integer) so that a request object (RFC 9101) carries them as
claims of the right type; the form encodes them as text. No Ansible imports, no third-party imports.
"""

from __future__ import annotations

from ansible_collections.pingone.oidc.plugins.module_utils._client import has_control_characters
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneOptionError

# The values PingOne documents for its authorize and PAR endpoints.
PROMPTS = ('login', 'consent', 'none')
RESPONSE_MODES = ('query', 'fragment', 'form_post', 'pi.flow')
CODE_CHALLENGE_METHODS = ('S256', 'plain')
# Response types whose reply carries a token, which must never travel in a query string.
TOKEN_RESPONSE_TYPES = ('token', 'id_token')

TYPED_OPTIONS = dict(
    acr_values=dict(type='list', elements='str'),
    login_hint=dict(type='str'),
    max_age=dict(type='int'),
    prompt=dict(type='list', elements='str', choices=list(PROMPTS)),
    response_mode=dict(type='str', choices=list(RESPONSE_MODES)),
    code_challenge_method=dict(type='str', choices=list(CODE_CHALLENGE_METHODS)),
)


def given(params, option):
    value = params.get(option)
    return value is not None and value != []


def acr_values(params):
    """The sign-on policy names of ``acr_values``: each item may itself hold several names separated by spaces."""
    return [name for item in params.get('acr_values') or [] for name in item.split()]


def check_options(params):
    """Refuse typed options that no server accepts, and any typed option also given in ``extra_params``."""
    extra = params.get('extra_params') or {}
    for option in TYPED_OPTIONS:
        if given(params, option) and option in extra:
            raise PingOneOptionError('%s is given both as an option and in extra_params; keep only the option' % option)
    texts = [('login_hint', params.get('login_hint'))]
    texts.extend(('acr_values[%d]' % index, item) for index, item in enumerate(params.get('acr_values') or []))
    for option, value in texts:
        if value is not None and has_control_characters(value):
            raise PingOneOptionError('%s contains a control character (a line break or tab?)' % option)
    if given(params, 'acr_values') and not acr_values(params):
        raise PingOneOptionError('acr_values holds no sign-on policy name; leave it out or name a policy')
    if params.get('max_age') is not None and params['max_age'] < 0:
        raise PingOneOptionError('max_age must be 0 or more (seconds since the user last signed on), not %d' % params['max_age'])
    prompt = params.get('prompt') or []
    if 'none' in prompt and len(prompt) > 1:
        raise PingOneOptionError('prompt none cannot be combined with other values (OIDC Core 3.1.2.1); got %s' % ', '.join(prompt))
    response_types = (params.get('response_type') or '').split()
    if params.get('response_mode') == 'query' and set(response_types) & set(TOKEN_RESPONSE_TYPES):
        raise PingOneOptionError('response_mode query cannot return the tokens of response_type %s; use fragment, form_post or '
                                 'pi.flow' % params['response_type'])
    if given(params, 'code_challenge_method') and not params.get('pkce', True):
        raise PingOneOptionError('code_challenge_method needs pkce true (no code challenge is sent with pkce false)')


def typed_parameters(params):
    """The authorization request parameters of the typed options that are given, in their JSON types."""
    values = {}
    if given(params, 'acr_values'):
        values['acr_values'] = ' '.join(acr_values(params))
    if params.get('login_hint') is not None:
        values['login_hint'] = params['login_hint']
    if params.get('max_age') is not None:
        values['max_age'] = params['max_age']
    if given(params, 'prompt'):
        values['prompt'] = ' '.join(params['prompt'])
    if params.get('response_mode') is not None:
        values['response_mode'] = params['response_mode']
    return values


def form_values(parameters):
    """Authorization request parameters as form fields (text)."""
    return {key: str(value) for key, value in parameters.items()}
