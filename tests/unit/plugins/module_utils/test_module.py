# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The module edge: argument parsing, the would/did wording, diff, warnings and the one failure step."""

from __future__ import annotations

import pytest

from ansible_collections.pingone.oidc.plugins.module_utils._errors import (
    PingOneApiError,
    PingOneError,
    PingOneLookupError,
    PingOneOptionError,
)
from ansible_collections.pingone.oidc.plugins.module_utils._module import PingOneModule, run_on_controller
from ansible_collections.pingone.oidc.plugins.module_utils._result import Result

UNREACHABLE = dict(pingone_api_url='http://127.0.0.1:9/v1', pingone_auth_url='http://127.0.0.1:9')


class FakeModule:
    """A module made of an ensure function, as the real ones are."""

    def __init__(self, ensure, check_options=None, **options):
        self.ensure = ensure
        self.check_options = check_options
        self.options = dict(name=dict(type='str'), environment_id=dict(type='str'), **options)

    def main(self):
        PingOneModule(self.options).run(self.ensure, self.check_options)


@pytest.fixture(params=['module process', 'controller'])
def run_task(request, run_module):
    """Run a fake module in a module process, or as its action plugin runs it on the controller: the same results."""
    if request.param == 'module process':
        return run_module

    def on_controller(module, args, check_mode=False, diff=False):
        values, warnings = run_on_controller('fake', module.options, args, module.ensure, module.check_options,
                                             check_mode=check_mode, diff_mode=diff)
        if warnings:
            values['warnings'] = warnings
        return values, bool(values.get('failed'))
    return on_controller


def creates(ctx):
    result = Result(application={'name': ctx.params['name']})
    result.change('create', "application '%s' (WORKER)" % ctx.params['name'])
    result.diff({}, {'name': ctx.params['name']})
    result.warn('a warning')
    return result


@pytest.fixture(autouse=True)
def no_connection_variables(monkeypatch):
    for name in ('PINGONE_ENVIRONMENT_ID', 'PINGONE_CLIENT_ID', 'PINGONE_CLIENT_SECRET', 'PINGONE_API_ACCESS_TOKEN',
                 'PINGONE_REGION_CODE', 'PINGONE_API_URL', 'PINGONE_AUTH_URL', 'PINGONE_API_SERVICE_HOSTNAME',
                 'PINGONE_AUTH_SERVICE_HOSTNAME'):
        monkeypatch.delenv(name, raising=False)


def test_changes_are_reported_as_done(run_task):
    result, failed = run_task(FakeModule(creates), dict(UNREACHABLE, name='A'))
    assert not failed and result['changed'] is True
    assert result['msg'] == "Created application 'A' (WORKER)" and result['application'] == {'name': 'A'}
    assert 'diff' not in result and 'a warning' in str(result['warnings'])


def test_check_mode_says_what_would_happen(run_task):
    result, failed = run_task(FakeModule(creates), dict(UNREACHABLE, name='A'), check_mode=True)
    assert not failed and result['changed'] is True and result['msg'] == "Would create application 'A' (WORKER)"


def test_diff_mode_adds_the_diff(run_task):
    result, dummy = run_task(FakeModule(creates), dict(UNREACHABLE, name='A'), diff=True)
    assert result['diff'] == {'before': {}, 'after': {'name': 'A'}}


def test_option_checks_run_before_ensure(run_task):
    calls = []

    def check(params):
        raise PingOneOptionError('name must not be empty')

    result, failed = run_task(FakeModule(calls.append, check), dict(UNREACHABLE, name=''))
    assert failed and result['msg'] == 'name must not be empty' and calls == []


def test_raised_errors_become_one_failure_with_their_values(run_task):
    def ensure(ctx):
        raise PingOneLookupError("Application 'A' does not exist", private_key_written=False)

    result, failed = run_task(FakeModule(ensure), dict(UNREACHABLE))
    assert failed and result['msg'] == "Application 'A' does not exist" and result['private_key_written'] is False


def test_an_environment_404_hints_at_environment_id_and_other_404s_do_not(run_task):
    def missing(subject):
        def ensure(ctx):
            raise PingOneApiError("Reading grant 'g' of application 'a' in environment 'e'", 404, code='NOT_FOUND', subject=subject)
        return ensure

    result, failed = run_task(FakeModule(missing('environment')), dict(UNREACHABLE))
    assert failed and 'Check environment_id' in result['msg'] and result['status_code'] == 404 and result['code'] == 'NOT_FOUND'
    result, failed = run_task(FakeModule(missing('grant')), dict(UNREACHABLE))
    assert failed and 'Check environment_id' not in result['msg']


def test_a_refused_token_blames_pingone_access_token_only_when_one_was_given(run_task):
    def refused(ctx):
        raise PingOneApiError('Listing applications', 401, code='ACCESS_FAILED')

    worker = dict(UNREACHABLE, pingone_environment_id='e', pingone_client_id='c', pingone_client_secret='s')
    result, failed = run_task(FakeModule(refused), worker)
    assert failed and 'pingone_access_token' not in result['msg'] and 'pingone_client_id' in result['msg']
    result, failed = run_task(FakeModule(refused), dict(UNREACHABLE, pingone_access_token='given-token-0123456789'))
    assert failed and 'The access token (pingone_access_token) was refused' in result['msg']


def test_missing_credentials_are_named(run_task):
    def ensure(ctx):
        return Result(client=bool(ctx.client))

    result, failed = run_task(FakeModule(ensure), dict(UNREACHABLE, pingone_client_id='c'))
    assert failed and result['msg'].startswith('Missing PingOne credentials: pingone_environment_id, pingone_client_secret.')


def test_connection_option_bounds_are_checked_before_anything(run_task):
    calls = []
    result, failed = run_task(FakeModule(calls.append), dict(UNREACHABLE, pingone_timeout=0))
    assert failed and result['msg'] == 'Invalid PingOne connection options: pingone_timeout must be positive, got 0.0'
    result, failed = run_task(FakeModule(calls.append), dict(UNREACHABLE, pingone_max_retries=-1))
    assert failed and result['msg'] == 'Invalid PingOne connection options: pingone_max_retries must not be negative, got -1'
    assert calls == []


def test_empty_environment_variables_count_as_unset(run_task, monkeypatch):
    # AWX renders a blank optional credential field as "": it must not be an invalid region choice.
    monkeypatch.setenv('PINGONE_REGION_CODE', '')
    monkeypatch.setenv('PINGONE_ENVIRONMENT_ID', '')
    monkeypatch.setenv('PINGONE_CLIENT_ID', 'from-env')

    def ensure(ctx):
        return Result(region=ctx.params['pingone_region'], environment=ctx.params['pingone_environment_id'],
                      client=ctx.params['pingone_client_id'])

    result, failed = run_task(FakeModule(ensure), dict(UNREACHABLE))
    assert not failed, result['msg']
    assert (result['region'], result['environment'], result['client']) == (None, None, 'from-env')


def test_the_target_environment_defaults_to_the_workers(run_task):
    def ensure(ctx):
        return Result(environment=ctx.environment_id)

    result, dummy = run_task(FakeModule(ensure), dict(UNREACHABLE, pingone_environment_id='worker-env'))
    assert result['environment'] == 'worker-env'
    result, dummy = run_task(FakeModule(ensure), dict(UNREACHABLE, pingone_environment_id='worker-env', environment_id='other'))
    assert result['environment'] == 'other'
    result, failed = run_task(FakeModule(ensure), dict(UNREACHABLE))
    assert failed and result['msg'].startswith('environment_id is required')


def test_secrets_from_a_failure_are_masked(run_task):
    def ensure(ctx):
        ctx.protect(['s3cr3t-value-0123456789'])
        raise PingOneError('the value s3cr3t-value-0123456789 leaked into a message')

    result, failed = run_task(FakeModule(ensure), dict(UNREACHABLE))
    assert failed and 's3cr3t-value-0123456789' not in str(result)


@pytest.mark.parametrize('value, problem', [('..', 'is not an ID'), ('.', 'is not an ID'), (' .. ', 'is not an ID'),
                                            ('abc\r\nX-Injected: 1', 'contains a control character')])
def test_ids_that_would_walk_the_url_path_or_split_a_header_are_refused_before_any_request(run_task, value, problem):
    calls = []
    module = FakeModule(calls.append, application_id=dict(type='str'))
    result, failed = run_task(module, dict(UNREACHABLE, application_id=value))
    assert failed and result['msg'].startswith('application_id %s' % problem) and calls == []
    result, failed = run_task(module, dict(UNREACHABLE, pingone_environment_id=value))
    assert failed and 'pingone_environment_id ' in result['msg'] and calls == []


@pytest.mark.parametrize('option', ['issuer', 'token_endpoint', 'redirect_uri', 'jwks_url'])
def test_control_characters_in_urls_and_endpoints_are_refused_before_any_request(run_task, option):
    calls = []
    module = FakeModule(calls.append, **{option: dict(type='str')})
    result, failed = run_task(module, dict(UNREACHABLE, **{option: 'https://auth.example.com/as\r\nX-Injected: 1'}))
    assert failed and result['msg'] == '%s contains a control character (a line break or tab?)' % option and calls == []


def test_turning_certificate_checks_off_warns(run_task):
    result, failed = run_task(FakeModule(creates), dict(UNREACHABLE, name='A', pingone_validate_certs=False))
    assert not failed and 'pingone_validate_certs is false' in str(result['warnings'])
    result, failed = run_task(FakeModule(creates), dict(UNREACHABLE, name='A'))
    assert 'pingone_validate_certs' not in str(result.get('warnings'))


def test_a_failure_reports_the_warnings_of_the_run(run_task):
    def ensure(ctx):
        error = PingOneError('the second write failed')
        error.warnings = ['the first write had no reply; it was found by name']
        raise error

    result, failed = run_task(FakeModule(ensure), dict(UNREACHABLE))
    assert failed and 'found by name' in str(result['warnings'])


def test_the_terraform_host_name_variables_serve_as_urls(run_task, monkeypatch):
    monkeypatch.setenv('PINGONE_API_SERVICE_HOSTNAME', 'api.pingone.eu')
    monkeypatch.setenv('PINGONE_AUTH_SERVICE_HOSTNAME', 'auth.pingone.eu')
    monkeypatch.setenv('PINGONE_AUTH_URL', '')  # blank, as AWX renders it: the host name applies

    def ensure(ctx):
        return Result(api=ctx.params['pingone_api_url'], issuer=ctx.endpoints('env-1')['issuer'])

    result, failed = run_task(FakeModule(ensure), {})
    assert not failed and result['api'] == 'api.pingone.eu' and result['issuer'] == 'https://auth.pingone.eu/env-1/as'
    monkeypatch.setenv('PINGONE_API_URL', 'http://127.0.0.1:9/v1')
    result, dummy = run_task(FakeModule(ensure), {})
    assert result['api'] == 'http://127.0.0.1:9/v1'  # the URL variable wins


def test_on_the_controller_bad_options_fail_as_ansible_words_them_and_mask_secrets():
    options = dict(name=dict(type='str'), count=dict(type='int'))
    values, warnings = run_on_controller('pingone.oidc.fake', options, dict(UNREACHABLE, nmae='A'), creates)
    assert values['failed'] and values['msg'].startswith('Unsupported parameters for (pingone.oidc.fake) module: nmae')
    secret = 'ctrl-s3cr3t-0123456789'
    values, warnings = run_on_controller('pingone.oidc.fake', options,
                                         dict(UNREACHABLE, pingone_client_secret=secret, count=secret), creates)
    assert values['failed'] and 'count' in values['msg'] and secret not in str(values) and warnings == []


def test_a_private_jwk_in_any_jwks_option_is_masked_when_validation_fails(run_module):
    private = 'private-exponent-0123456789abcdef'
    module = FakeModule(creates, definitions=dict(type='list', elements='dict', options=dict(
        name=dict(type='str'), jwks=dict(type='raw'))))
    jwks = {'keys': [{'kty': 'RSA', 'kid': 'k', 'n': 'AQAB', 'e': 'AQAB', 'd': private}]}
    result, failed = run_module(module, dict(UNREACHABLE, definitions=[dict(name='A', jwks=jwks, bogus=1)]))
    assert failed and 'bogus' in result['msg'] and private not in str(result)


def test_secrets_are_masked_in_values_and_numbers_at_any_depth_and_keys_stay():
    from ansible_collections.pingone.oidc.plugins.module_utils._module import mask_values
    value = {'msg': 'token abc-secret-123 refused', 'abc-secret-123': ['abc-secret-123', 1234567, True, None],
             'nested': ({'deep': 'x abc-secret-123 y'},)}
    assert mask_values(value, {'abc-secret-123', '1234567', ''}) == {
        'msg': 'token ******** refused', 'abc-secret-123': [
            'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER', 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER', True, None],
        'nested': [{'deep': 'x ******** y'}]}
    assert mask_values(value, set()) is value
