# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The typed authorization request options: their checks before any request and the parameters they send."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils import _authz_request as authz
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneOptionError


def params(**given):
    values = dict({option: None for option in authz.TYPED_OPTIONS}, response_type='code', pkce=True, extra_params=None)
    values.update(given)
    return values


def test_the_argument_spec_holds_the_documented_enums():
    assert authz.TYPED_OPTIONS['prompt']['choices'] == ['login', 'consent', 'none']
    assert authz.TYPED_OPTIONS['response_mode']['choices'] == ['query', 'fragment', 'form_post', 'pi.flow']
    assert authz.TYPED_OPTIONS['code_challenge_method']['choices'] == ['S256', 'plain']
    assert authz.TYPED_OPTIONS['max_age']['type'] == 'int'


def test_typed_parameters_in_their_json_types():
    given = params(acr_values=['Single_Factor Multi_Factor', 'Custom'], login_hint='someone@example.com', max_age=0,
                   prompt=['login', 'consent'], response_mode='pi.flow', code_challenge_method='plain')
    authz.check_options(given)
    assert authz.typed_parameters(given) == {'acr_values': 'Single_Factor Multi_Factor Custom', 'login_hint': 'someone@example.com',
                                             'max_age': 0, 'prompt': 'login consent', 'response_mode': 'pi.flow'}
    assert authz.form_values({'max_age': 0, 'prompt': 'login'}) == {'max_age': '0', 'prompt': 'login'}


def test_options_not_given_send_nothing():
    authz.check_options(params())
    assert authz.typed_parameters(params(prompt=[], acr_values=[])) == {}


@pytest.mark.parametrize('given, message', [
    (dict(max_age=-1), 'max_age must be 0 or more'),
    (dict(prompt=['none', 'login']), 'prompt none cannot be combined with other values'),
    (dict(response_mode='query', response_type='code id_token'), 'response_mode query cannot return the tokens of response_type code id_token'),
    (dict(response_mode='query', response_type='token'), 'response_mode query cannot return'),
    (dict(code_challenge_method='S256', pkce=False), 'code_challenge_method needs pkce true'),
    (dict(login_hint='someone\n@example.com'), 'login_hint contains a control character'),
    (dict(acr_values=['Single_Factor', 'Multi\tFactor']), 'acr_values[1] contains a control character'),
    (dict(acr_values=['  ']), 'acr_values holds no sign-on policy name'),
    (dict(prompt=['login'], extra_params={'prompt': 'consent'}), 'prompt is given both as an option and in extra_params'),
    (dict(max_age=0, extra_params={'max_age': 0}), 'max_age is given both as an option and in extra_params'),
])
def test_bad_options_are_named(given, message):
    with pytest.raises(PingOneOptionError) as info:
        authz.check_options(params(**given))
    assert message in str(info.value)


def test_extra_params_keep_working_for_options_not_given():
    authz.check_options(params(extra_params={'prompt': 'login', 'ui_locales': 'de'}))
    authz.check_options(params(response_mode='query', response_type='code'))
