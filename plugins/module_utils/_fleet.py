# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# FOR INTERNAL COLLECTION USE ONLY: may change in any release.

"""Many applications of one environment converged in one run (no Ansible).

The steps of a run: ``check_definitions`` (pure, before any request); one list of the environment
(``ApplicationsService.list``, every page); ``plan`` compares every definition with what is there, using the
model's own ``changed_options``, ``merge``, ``creation_body`` and ``validate_body``, and raises one error
naming every definition at fault before anything is written; ``DeleteGuard`` reads the environment only when
a delete is planned and refuses deletes in a PRODUCTION environment unless they are allowed; ``FleetWriter``
sends the writes from a bounded pool of threads, each write with the unknown-outcome rules of
``ApplicationsService`` (a create is looked for by name before it is sent again, an update is read back), and
after the creates lists the environment ONCE to find twins a concurrent run made (the oldest is kept).
Every request of the run goes through one ``RateLimiter`` (``PacedSession``), which also holds every thread
back after an HTTP 429.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.pingone.oidc.plugins.module_utils import _app_model as model
from ansible_collections.pingone.oidc.plugins.module_utils import _lookup
from ansible_collections.pingone.oidc.plugins.module_utils import _subresources as subresources
from ansible_collections.pingone.oidc.plugins.module_utils._applications import PRESENT_OR_ABSENT, is_system_application, refuse_own_worker
from ansible_collections.pingone.oidc.plugins.module_utils._client import parse_retry_after
from ansible_collections.pingone.oidc.plugins.module_utils._client import segment as _seg
from ansible_collections.pingone.oidc.plugins.module_utils._errors import PingOneError, PingOneOptionError

try:
    from requests import Session as _Session
except ImportError:  # the module edge reports the missing library before anything here runs
    _Session = object

DEFAULT_CONCURRENCY = 4
MAX_CONCURRENCY = 16
# Requests per second of one run; PingOne's limits are per license and shared by its environments (and an IP
# address gets 35% of them by default), so a run stays well below them unless told otherwise.
DEFAULT_MAX_REQUESTS_PER_SECOND = 10.0
# The longest a 429 holds every thread back (the client's own wait is capped by pingone_retry_max_delay too).
MAX_PAUSE = 120.0
PRODUCTION = 'PRODUCTION'
ALLOW_PRODUCTION_DELETES_VARIABLE = 'PINGONE_ALLOW_PRODUCTION_DELETES'
# The order of the summary, and the words of one step's action.
ACTIONS = ('create', 'update', 'replace', 'delete', 'none')
# Names shown in one line before "and N more".
SHOWN_NAMES = 10


def definition_argument_spec():
    """The options of one application definition: pingone_application's options that describe an application
    (``type``, ``state``, ``recreate_on_type_change``, ``assign_actor_roles`` and every field of the model), with
    ``name`` required because the name is what identifies an application of a fleet."""
    spec = dict(
        name=dict(type='str', required=True),
        state=dict(PRESENT_OR_ABSENT),
        type=dict(type='str', choices=list(model.OIDC_TYPES)),
        recreate_on_type_change=dict(type='bool', default=False),
        assign_actor_roles=dict(type='bool'),
    )
    spec.update(model.field_argument_spec())
    spec.update(subresources.argument_spec())
    return spec


def fleet_argument_spec():
    """The options of the fleet module besides ``environment_id`` and the connection options."""
    tag_choices = list(model.FIELDS_BY_OPTION['tags'].spec['choices'])
    return dict(
        applications=dict(type='list', elements='dict', required=True, options=definition_argument_spec(),
                          mutually_exclusive=[('jwks', 'jwks_url')]),
        concurrency=dict(type='int', default=DEFAULT_CONCURRENCY),
        max_requests_per_second=dict(type='float', default=DEFAULT_MAX_REQUESTS_PER_SECOND),
        exclusive=dict(type='bool', default=False),
        exclusive_selector=dict(type='dict', options=dict(
            name_prefix=dict(type='str'),
            tag=dict(type='str', choices=tag_choices),
        )),
        allow_production_deletes=dict(type='bool', default=False),
    )


def quoted(names):
    """'a', 'b' and N more: names for a one-line message."""
    names = list(names)
    text = ', '.join("'%s'" % model.shown(name) for name in names[:SHOWN_NAMES])
    if len(names) > SHOWN_NAMES:
        text += ' and %d more' % (len(names) - SHOWN_NAMES)
    return text


def count(number, noun='application'):
    return '%d %s%s' % (number, noun, '' if number == 1 else 's')


# -- pure checks -----------------------------------------------------------------------------------

def check_definitions(params):
    """Every check of the fleet options that needs no request; PingOneOptionError naming the option."""
    concurrency = params.get('concurrency')
    if concurrency is not None and not 1 <= concurrency <= MAX_CONCURRENCY:
        raise PingOneOptionError('concurrency must be between 1 and %d, got %s' % (MAX_CONCURRENCY, concurrency))
    rate = params.get('max_requests_per_second')
    if rate is not None and not rate > 0:
        raise PingOneOptionError('max_requests_per_second must be positive, got %s' % rate)
    selector = params.get('exclusive_selector') or {}
    if params.get('exclusive') and not (selector.get('name_prefix') or selector.get('tag')):
        raise PingOneOptionError('exclusive needs exclusive_selector with a name_prefix or a tag (or both): only the '
                                 'undeclared applications it selects are deleted')
    definitions = params.get('applications') or []
    empty = ['applications[%d].name' % index for index, item in enumerate(definitions) if not (item.get('name') or '').strip()]
    if empty:
        raise PingOneOptionError('%s must not be empty' % ', '.join(empty))
    seen = {}
    for index, item in enumerate(definitions):
        seen.setdefault(item['name'].casefold(), []).append(index)
    duplicates = [indexes for indexes in seen.values() if len(indexes) > 1]
    if duplicates:
        raise PingOneOptionError('applications: each name may be declared once (names compare ignoring case); declared more '
                                 'than once: %s' % '; '.join(
                                     "'%s' (%s)" % (model.shown(definitions[indexes[0]]['name']),
                                                    ', '.join('applications[%d]' % index for index in indexes))
                                     for indexes in duplicates))
    subresources.check_definitions(definitions)


def private_values(definitions):
    """Values of private JWK members given by mistake in any definition, to be masked in output."""
    found = []
    for item in definitions or []:
        found.extend(model.private_jwk_values(item.get('jwks')))
    return found


def selected(app, selector):
    """Whether an application is one the exclusive selector covers (name prefix ignoring case, and tag)."""
    prefix = (selector or {}).get('name_prefix')
    tag = (selector or {}).get('tag')
    if prefix and not str(app.get('name') or '').casefold().startswith(prefix.casefold()):
        return False
    return not tag or tag in (app.get('tags') or [])


# -- the plan ----------------------------------------------------------------------------------------

class Step:
    """What a run does to one application: ``action`` is one of ACTIONS."""

    def __init__(self, name, action, current=None, body=None, changed=None, definition=None):
        self.name = name
        self.action = action
        self.current = current
        self.body = body
        self.changed = changed or []
        self.definition = definition
        self.after = current if action == 'none' else None
        self.created = None  # the application a POST of this run made
        self.done = False
        self.deleted = False  # a replace whose delete went through
        self.error = None
        self.index = None  # of the definition in ``applications``
        self.resolved = None  # what it holds (grants, roles, attribute mappings, sign-on policies), resolved (HoldingsRun)
        self.held = []  # (option, Change) of what it holds, made or (check mode) to make
        self.held_error = None
        self.held_skipped = False  # not started after another application's failed

    @property
    def declared(self):
        return self.definition is not None

    @property
    def deletes(self):
        return self.action in ('delete', 'replace')

    def landed(self, app):
        """Whether an application read back shows this step's update (``name`` never changes: it is the identity)."""
        return not model.changed_options(app, model.desired_from_params(self.definition))


def plan(definitions, apps, environment_id, exclusive=False, selector=None, worker=None):
    """The steps of a run, declared definitions first (in their order), then undeclared deletes (by name).

    Raises one PingOneOptionError naming every definition at fault and its problems (``invalid_definitions``
    in the failed result), before anything is written. ``worker`` is (environment ID, client ID) of the worker
    the run authenticates as: it is never deleted or replaced (an exclusive run leaves it alone).
    """
    steps, invalid, texts = [], {}, []
    apps_by_name = _lookup.by_name(apps)
    for index, definition in enumerate(definitions):
        try:
            steps.append(plan_one(definition, apps_by_name.get(str(definition['name']).casefold(), [])))
            steps[-1].index = index
        except _Invalid as exc:
            invalid[definition['name']] = exc.problems
            texts.append("'%s' (applications[%d]): %s" % (model.shown(definition['name']), index, '; '.join(exc.problems)))
    if invalid:
        raise PingOneOptionError("Invalid application definitions for environment '%s', nothing was written: %s"
                                 % (environment_id, ' | '.join(texts)), invalid_definitions=invalid)
    worker_environment_id, worker_client_id = worker or (None, None)
    for step in steps:
        if step.action in ('delete', 'replace'):
            refuse_own_worker(step.current, environment_id, worker_environment_id, worker_client_id,
                              'deleting' if step.action == 'delete' else 'replacing')
    if exclusive:
        declared = {definition['name'].casefold() for definition in definitions}
        for app in sorted(apps, key=lambda app: (str(app.get('name') or '').casefold(), str(app.get('id')))):
            own = environment_id == worker_environment_id and worker_client_id in (app.get('id'), app.get('clientId'))
            if (str(app.get('name') or '').casefold() not in declared and not is_system_application(app) and not own
                    and app.get('protocol') == 'OPENID_CONNECT' and selected(app, selector)):
                steps.append(Step(app.get('name') or app['id'], 'delete', current=app))
    return steps


class _Invalid(Exception):
    def __init__(self, problems):
        super().__init__('; '.join(problems))
        self.problems = problems


def plan_one(definition, matches):
    """The step of one definition, given the applications of its name; _Invalid with its problems when it cannot be
    carried out."""
    name = definition['name']
    system = [app for app in matches if is_system_application(app)]
    if system:
        raise _Invalid(["it is PingOne's own %s application (%s): this collection neither changes nor deletes it, and no "
                        "other application may take its name" % (system[0].get('type'), system[0].get('id'))])
    if len(matches) > 1:
        raise _Invalid(['%d applications have this name (IDs %s): delete or rename all but one'
                        % (len(matches), ', '.join(sorted(str(app.get('id')) for app in matches)))])
    current = matches[0] if matches else None
    if current is not None and current.get('protocol') != 'OPENID_CONNECT':
        raise _Invalid(['it is a %s application (%s), not an OpenID Connect one' % (current.get('protocol'), current.get('id'))])
    declared = [option for option in subresources.KIND_OPTIONS if definition.get(option)]
    if definition['state'] == 'absent':
        if declared:
            raise _Invalid(['%s apply to state present only' % ' and '.join(declared)])
        return Step(name, 'delete' if current else 'none', current=current, definition=definition)
    desired = model.desired_from_params(definition)
    app_type = definition.get('type')
    if definition.get('roles') and (app_type or (current or {}).get('type')) != 'WORKER':
        raise _Invalid(['roles: only WORKER applications hold roles'])
    if current is None or (app_type and app_type != current.get('type')):
        if current is not None and not definition.get('recreate_on_type_change'):
            raise _Invalid(['it is a %s application (%s); its type cannot change to %s in place: set recreate_on_type_change to '
                            'delete it and create a new one (new client ID and secret)'
                            % (current.get('type'), current.get('id'), app_type)])
        if not app_type:
            raise _Invalid(['type is required to create it (no application of that name exists)'])
        body = model.creation_body(name, app_type, desired, definition.get('assign_actor_roles'))
        _validate(body)
        return Step(name, 'replace' if current else 'create', current=current, body=body,
                    changed=sorted(field.option for field in desired), definition=definition)
    changed = model.changed_options(current, desired)
    if not changed:
        return Step(name, 'none', current=current, definition=definition)
    body = model.merge(current, desired)
    _validate(body)
    return Step(name, 'update', current=current, body=body, changed=changed, definition=definition)


def _validate(body):
    errors = model.validate_body(body)
    if errors:
        raise _Invalid(errors)


def predicted(step):
    """What PingOne would return for a step in check mode: for updates and deletes the diff of the real run; for a
    create, the body sent (PingOne adds its own defaults and IDs, which check mode cannot know)."""
    if step.action in ('create', 'replace'):
        return step.body
    if step.action == 'update':
        return dict(step.body, **{key: step.current[key] for key in model.READ_ONLY_MEMBERS if key in step.current})
    if step.action == 'delete':
        return None
    return step.current


# -- what the applications hold: grants, roles, attribute mappings, sign-on policies -------------------

class HoldingsRun:
    """What the definitions declare the applications hold (the kinds of ``_subresources``): every name resolved before
    any write (``resolve``), then, per application, one read per declared kind and the writes it needs, from the same
    bounded pool."""

    def __init__(self, access, concurrency=DEFAULT_CONCURRENCY):
        self.engine = subresources.Holdings(access)
        self.concurrency = concurrency
        self.warnings = []
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def resolve(self, steps):
        """Resolve every declared grant and role; one PingOneOptionError naming each one at fault."""
        problems, kinds = [], []
        for step in steps:
            if step.declared and step.action != 'delete' and subresources.declares(step.definition):
                try:
                    step.resolved = self.engine.resolve(step.definition, 'applications[%d]' % step.index)
                except subresources.Unresolved as exc:
                    option, dummy, text = str(exc).partition(': ')
                    problems.append("'%s' (%s): %s" % (model.shown(step.name), option, text) if text else
                                    "'%s': %s" % (model.shown(step.name), option))
                    kinds.append(exc.kind)
        if problems:
            raise PingOneOptionError('Invalid %s, nothing was written: %s' % (subresources.nouns(kinds), ' | '.join(problems)))

    def run(self, steps, check_mode):
        """Converge (or in check mode only plan); returns the steps whose grants or roles failed (``held_error``)."""
        todo = [step for step in steps if step.resolved]
        if todo:
            with ThreadPoolExecutor(max_workers=min(self.concurrency, len(todo))) as pool:
                futures = [pool.submit(self._one, step, check_mode) for step in todo]
            for future in futures:
                future.result()
        return [step for step in todo if step.held_error is not None]

    def _one(self, step, check_mode):
        if self._stop.is_set():
            step.held_skipped = True
            return
        if check_mode:  # an application still to be created holds nothing yet
            application_id = step.current.get('id') if step.action in ('none', 'update') else None
        else:
            application_id = (step.after or {}).get('id')
        try:
            # an application this run made holds nothing yet; a twin another run made (kept as the oldest) may
            created = step.definition if step.action in ('create', 'replace') and step.after is step.created else None
            for kind, change in self.engine.plan(application_id, step.resolved, created):
                if not check_mode:
                    warning = self.engine.write(application_id, kind, change)
                    if warning:
                        with self._lock:
                            self.warnings.append("Application '%s': %s" % (model.shown(step.name), warning))
                step.held.append((kind.option, change))
        except PingOneError as exc:
            step.held_error = exc
            self._stop.set()


# -- the production guard ---------------------------------------------------------------------------

class DeleteGuard:
    """Deleting in a PRODUCTION environment needs ``allow_production_deletes`` (or its environment variable)."""

    def __init__(self, client, environment_id, allowed):
        self.client = client
        self.environment_id = environment_id
        self.allowed = allowed

    def environment_type(self):
        operation = "Reading environment '%s'" % self.environment_id
        body = self.client.request('GET', 'environments/%s' % _seg(self.environment_id), operation, subject='environment').body
        return (body or {}).get('type')

    def check(self, steps):
        """Read the environment only when a step deletes; raise before any write when deleting is not allowed there."""
        doomed = [step for step in steps if step.deletes]
        if not doomed or self.allowed:
            return
        if self.environment_type() != PRODUCTION:
            return
        raise PingOneOptionError(
            "Environment '%s' is a PRODUCTION environment and this run would delete %s (%s); nothing was written. Set "
            "allow_production_deletes to true, or the environment variable %s=true, to allow deletes there (state absent, "
            "exclusive, recreate_on_type_change)" % (
                self.environment_id, count(len(doomed)), quoted('%s (%s)' % (step.name, step.action) for step in doomed),
                ALLOW_PRODUCTION_DELETES_VARIABLE),
            would_delete=[dict(name=step.name, id=step.current.get('id'), action=step.action) for step in doomed])


# -- pacing ------------------------------------------------------------------------------------------

class RateLimiter:
    """At most ``rate`` requests a second across every thread: each request takes the next free slot, ``1/rate``
    seconds after the one before; ``pause`` moves the next free slot (an HTTP 429 holds every thread back)."""

    def __init__(self, rate, clock=time.monotonic, sleep=time.sleep):
        self.interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next = None
        self.waited = 0.0

    def acquire(self):
        with self._lock:
            now = self._clock()
            slot = now if self._next is None else max(now, self._next)
            self._next = slot + self.interval
            wait = slot - now
            self.waited += wait
        if wait > 0:
            self._sleep(wait)

    def pause(self, seconds):
        with self._lock:
            until = self._clock() + min(max(seconds, 0.0), MAX_PAUSE)
            if self._next is None or self._next < until:
                self._next = until


class PacedSession(_Session):
    """A requests session whose every request (token, lists, writes, retries) waits for the rate limiter."""

    def __init__(self, limiter):
        super().__init__()
        self.limiter = limiter
        self.throttled = 0

    def request(self, method, url, *args, **kwargs):  # pylint: disable=arguments-differ,signature-differs
        self.limiter.acquire()
        response = super().request(method, url, *args, **kwargs)
        if response.status_code == 429:
            self.throttled += 1
            wait = parse_retry_after(response.headers.get('Retry-After'))
            self.limiter.pause(1.0 if wait is None else wait)
        return response


# -- the writes --------------------------------------------------------------------------------------

class FleetWriter:
    """Carries out the steps that write, from a bounded pool; stops starting new writes after the first failure."""

    def __init__(self, service, concurrency=DEFAULT_CONCURRENCY):
        self.service = service
        self.concurrency = concurrency
        self.warnings = []
        self.twin_error = None  # the list after the creates failed
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def warn(self, text):
        with self._lock:
            self.warnings.append(text)

    def run(self, steps):
        """Write; returns the steps that failed (each with ``error``). Steps never started keep ``done`` False."""
        writes = [step for step in steps if step.action != 'none']
        # deletes first, all finished before any other write starts: they free names and quota for what follows
        for phase in ([step for step in writes if step.action == 'delete'], [step for step in writes if step.action != 'delete']):
            if phase:
                with ThreadPoolExecutor(max_workers=min(self.concurrency, len(phase))) as pool:
                    futures = [pool.submit(self._one, step) for step in phase]
                for future in futures:
                    future.result()  # a bug (not a PingOneError) surfaces here
        created = [step for step in writes if step.created is not None]
        if created:
            try:
                self.keep_oldest(created)
            except PingOneError as exc:
                self.twin_error = exc
        return [step for step in writes if step.error is not None]

    def _one(self, step):
        if self._stop.is_set():
            return
        try:
            getattr(self, '_' + step.action)(step)
            step.done = True
        except PingOneError as exc:
            step.error = exc
            self._stop.set()

    def _create(self, step):
        step.created = self._post(step)
        step.after = step.created

    def _replace(self, step):
        self.service.delete(step.current['id'])
        step.deleted = True  # a create that fails now leaves the application deleted: the report must say so
        self._create(step)

    def _update(self, step):
        step.after = self.service.update(step.current['id'], step.body, landed=step.landed)

    def _delete(self, step):
        self.service.delete(step.current['id'])

    def _post(self, step):
        created, warning = self.service.create(step.body)
        if warning:
            self.warn("Application '%s': %s" % (step.name, warning))
        return created

    def keep_oldest(self, created_steps):
        """ONE list after the creates: where a concurrent run created an application of the same name, keep the oldest
        (by createdAt, then ID) and delete the copy this run made (the other run does the same with its own)."""
        listed = self.service.list()
        for step in created_steps:
            kept, warning = self.service.keep_one(step.created, listed)
            if warning:
                step.after = kept
                self.warn(warning)
