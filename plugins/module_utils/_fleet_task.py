# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""The ``pingone_applications`` task: its options, checks and run, shared by the module and its action plugin.

The module runs it in a module process (``PingOneModule``); the action plugin runs it inside the controller's own
process (``run_on_controller``) when the task would run on the controller anyway, which saves the module process.
"""

from __future__ import annotations

from ansible_collections.pingone.oidc.plugins.module_utils import _app_model as model
from ansible_collections.pingone.oidc.plugins.module_utils import _fleet as fleet
from ansible_collections.pingone.oidc.plugins.module_utils import _subresources as subresources
from ansible_collections.pingone.oidc.plugins.module_utils._access import AccessService
from ansible_collections.pingone.oidc.plugins.module_utils._applications import ApplicationsService
from ansible_collections.pingone.oidc.plugins.module_utils._client import PingOneClient
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneError
from ansible_collections.pingone.oidc.plugins.module_utils._module import env_fallback_nonempty, explain
from ansible_collections.pingone.oidc.plugins.module_utils._result import Result


def argument_spec():
    """The module's options: the fleet's, whose allowance of production deletes also comes from the environment."""
    spec = dict(environment_id=dict(type='str'), **fleet.fleet_argument_spec())
    spec['allow_production_deletes'] = dict(spec['allow_production_deletes'],
                                            fallback=(env_fallback_nonempty, [fleet.ALLOW_PRODUCTION_DELETES_VARIABLE]))
    return spec


OPTIONS = argument_spec()
# The words of the summary: the change verb of each action (Result words it), and the count of each.
VERBS = dict(create='create', update='update', replace='replace', delete='delete')
COUNTED = dict(create='created', update='updated', replace='replaced', delete='deleted', none='unchanged')
# The words of the summary for what the applications hold, per option: (Result verb, what, count key).
HELD = dict(grants=('grant', 'scopes to', 'granted'), roles=('assign', 'roles to', 'assigned'),
            attribute_mappings=('update', 'attribute mappings of', 'mapped'),
            sign_on_policies=('set', 'sign-on policies of', 'policies_set'))


def check_options(params):
    fleet.check_definitions(params)


class FleetRun:
    """One run of the module: list, plan, guard, write, report."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.params = ctx.params
        self.environment_id = ctx.environment_id
        # A private JWK given by mistake must not be echoed back (invocation, -vvv).
        ctx.protect(fleet.private_values(self.params['applications']))
        self.limiter = fleet.RateLimiter(self.params['max_requests_per_second'])
        self.session = fleet.PacedSession(self.limiter)
        # ctx.client's options (and its one message when credentials are missing), with every request paced
        self.client = PingOneClient(ctx.client.config, session=self.session)
        self.service = ApplicationsService(self.client, self.environment_id)

    def run(self):
        params = self.params
        steps = fleet.plan(params['applications'], self.service.list(), self.environment_id, params['exclusive'],
                           params['exclusive_selector'], (params['pingone_environment_id'], params['pingone_client_id']))
        fleet.DeleteGuard(self.client, self.environment_id, params['allow_production_deletes']).check(steps)
        holdings = fleet.HoldingsRun(AccessService(self.client, self.environment_id), params['concurrency'])
        holdings.resolve(steps)
        result = Result()
        warnings = []
        if not self.ctx.check_mode:
            writer = fleet.FleetWriter(self.service, params['concurrency'])
            failed = writer.run(steps)
            warnings.extend(writer.warnings)
            if failed or writer.twin_error:
                raise self.failure(steps, failed, writer.twin_error, warnings)
        else:
            for step in steps:
                step.after = fleet.predicted(step)
        held_failed = holdings.run(steps, self.ctx.check_mode)
        warnings.extend(holdings.warnings)
        if held_failed:
            raise self.failure(steps, [], None, warnings, held_failed)
        for warning in warnings:
            result.warn(warning)
        self.report(result, steps)
        return result

    def values(self, steps):
        """Per-application results, undeclared deletes and counts."""
        applications, undeclared = {}, []
        counts = dict.fromkeys(list(COUNTED.values()) + [count for dummy, dummy, count in HELD.values()], 0)
        for step in steps:
            if step.declared:
                held = [option for option in HELD if any(kind == option for kind, dummy in step.held)]
                entry = dict(action=step.action, changed_options=list(step.changed) + held,
                             access_changes=['%s %s' % (change.verb, change.text) for dummy, change in step.held])
                for option in held:
                    counts[HELD[option][2]] += 1
                app = step.after if step.action != 'delete' else None
                if app and app.get('id'):
                    entry.update(id=app['id'], client_id=app.get('clientId') or app['id'])
                applications[step.definition['name']] = entry
            elif step.action == 'delete':
                undeclared.append(dict(name=step.current.get('name'), id=step.current.get('id')))
            if self.ctx.check_mode or step.done or step.action == 'none':
                counts[COUNTED[step.action]] += 1
        return dict(applications=applications, deleted_undeclared=undeclared, counts=counts)

    def report(self, result, steps):
        result.values.update(self.values(steps))
        for action, verb in VERBS.items():
            names = [step.name for step in steps if step.action == action]
            if names:
                result.change(verb, '%s (%s)' % (fleet.count(len(names)), fleet.quoted(names)))
        for option, (verb, what, dummy) in HELD.items():
            names = [step.name for step in steps if any(kind == option for kind, dummy in step.held)]
            if names:
                result.change(verb, '%s %s (%s)' % (what, fleet.count(len(names)), fleet.quoted(names)))
        unchanged = [step for step in steps if step.action == 'none']
        # an application whose grants (or the like) changed is not "unchanged" in the message (its settings count so)
        present = len([step for step in unchanged if step.current is not None and not step.held])
        rest = []
        if present:
            rest.append('%s %s' % (fleet.count(present), 'unchanged' if result.changes else 'up to date'))
        if len(unchanged) > present:
            rest.append('%s already absent' % fleet.count(len(unchanged) - present))
        if rest:
            result.trailer = ', '.join(rest)
        result.summary = "No change in environment '%s': %s" % (self.environment_id, ', '.join(rest) or 'no applications declared')
        changing = [step for step in steps if step.action != 'none']
        result.diff({self.key(step): model.diff_view(step.current) for step in changing if step.current is not None},
                    {self.key(step): model.diff_view(step.after) for step in changing if step.after is not None})

    @staticmethod
    def key(step):
        return step.name if step.declared else '%s (%s)' % (step.name, step.current.get('id'))

    def failure(self, steps, failed, twin_error=None, warnings=(), held_failed=()):
        """One error for the whole run: which writes failed and why, what was done before the run stopped."""
        writes = [step for step in steps if step.action != 'none']
        skipped = [step for step in writes if not step.done and step.error is None]
        if failed:
            text = "%d of %s failed in environment '%s': %s" % (
                len(failed), fleet.count(len(writes), 'change'), self.environment_id,
                ' | '.join("'%s' (%s): %s" % (model.shown(step.name), step.action, explain(step.error, self.params))
                           for step in failed))
        elif held_failed:
            text = "The %s of %s failed in environment '%s': %s" % (
                subresources.nouns(kind for step in held_failed for kind in step.resolved), fleet.count(len(held_failed)),
                self.environment_id,
                ' | '.join("'%s': %s" % (model.shown(step.name), explain(step.held_error, self.params)) for step in held_failed))
        else:
            text = "Every change in environment '%s' was made" % self.environment_id
        if twin_error is not None:
            text += ('; the list after the creates, which finds twins made by a concurrent run, failed: %s'
                     % explain(twin_error, self.params))
        if skipped:
            text += '; %s not started after the first failure' % fleet.count(len(skipped), 'change')
        # what the applications hold is written after every application write: none of it when those failed
        unapplied = [step for step in steps if step.resolved and (step.held_skipped or failed or twin_error is not None)
                     and step.held_error is None]
        if unapplied:
            text += '; the %s of %s not applied after the first failure' % (
                subresources.nouns(kind for step in unapplied for kind in step.resolved), fleet.count(len(unapplied)))
        done = [step for step in writes if step.done]
        text += '; done: %s' % (', '.join(
            '%s %d' % (COUNTED[action], len([step for step in done if step.action == action]))
            for action in VERBS if any(step.action == action for step in done)) or 'nothing')
        # a replace whose create failed has deleted the old application all the same
        half_done = [step for step in failed if step.deleted]
        if half_done:
            text += '; deleted and not created again: %s' % ', '.join(
                "'%s' (old ID %s)" % (model.shown(step.name), step.current['id']) for step in half_done)
        values = self.values(steps)
        for step in failed + skipped:
            if step.declared:
                values['applications'][step.name]['error'] = (explain(step.error, self.params) if step.error else
                                                              'not started after the first failure')
        for step in half_done:
            values['applications'][step.name]['deleted_id'] = step.current['id']
        for step in held_failed:
            values['applications'][step.name]['error'] = explain(step.held_error, self.params)
        for step in unapplied:
            values['applications'][step.name].setdefault('error', 'what it holds was not applied after the first failure')
        error = PingOneError(text, changed=bool(done or half_done or any(step.held for step in steps)), **values)
        error.warnings = list(warnings)
        return error


def ensure(ctx):
    return FleetRun(ctx).run()
