"""The vendor's Python SDK (`qumulo-api`) as a client of the generated server.

Run by `cargo xtask sdk-check`, which starts three servers on loopback (plain HTTP) and passes
their base URLs: the conformance crate's reference implementation (every operation answers an
example value), the access-tokens example (a real in-memory store) and the streaming file
server of the tests crate (file data on disk). The SDK speaks only HTTPS on TCP, so each server
gets a TLS terminator here, with a throwaway certificate (the SDK does not verify certificates;
clusters use self-signed ones).

Calls:
- every SDK function and method that needs no argument, against the reference implementation;
- hand-written scenarios: the access-token lifecycle against the example with typed reads, a
  multi-megabyte file written and read back, every paging iterator whose route the published
  reference has, the reads that assert an ETag, user metadata set and get.

A failure is allowed only when it is listed in the allow-list with a reason, and every request
the call made went to a route the published reference lacks (the SDK is newer than the pages).
An allow-list entry whose call passes, or whose routes the reference has, is itself a failure.
Exit status 0 when nothing is unexplained.
"""

import argparse
import asyncio
import http.client
import inspect
import io
import json
import random
import re
import signal
import ssl
import sys
import threading
import urllib.request

import trustme

import names  # this folder: how the SDK's functions are enumerated

from qumulo.lib.identity_util import Identity
from qumulo.rest_client import RestClient

CALL_TIMEOUT_SECONDS = 20
MAX_PAGES = 50

# Calls that are made but whose outcome says nothing about the server, with the reason; they
# are printed as skipped and counted neither as passed nor as failed.
SKIPPED = {
    'version.numeric_version': 'parses the text of revision_id ("Qumulo Core 1.2.3"), which an '
    'example value does not imitate; version.version reads the same route',
    'cluster.get_node_replacement_plan': 'deletes target_compatibility_class from the answer, a '
    'field no published page describes (its type is unknown), so no server built from the pages '
    'sends it; cluster.get_node_replacement_plan is otherwise an ordinary GET',
}


# TLS in front of a plain HTTP server.


def start_terminator(backend_port: int, context: ssl.SSLContext) -> int:
    """Accepts TLS on a free loopback port and relays each connection to the backend."""
    ready = threading.Event()
    port_box = []

    async def relay(reader, writer):
        try:
            backend_reader, backend_writer = await asyncio.open_connection(
                '127.0.0.1', backend_port
            )
        except OSError:
            writer.close()
            return

        async def pipe(source, sink):
            try:
                while True:
                    data = await source.read(65536)
                    if not data:
                        break
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, ssl.SSLError):
                pass
            finally:
                try:
                    sink.close()
                except Exception:
                    pass

        await asyncio.gather(pipe(reader, backend_writer), pipe(backend_reader, writer))

    async def main():
        server = await asyncio.start_server(relay, '127.0.0.1', 0, ssl=context)
        port_box.append(server.sockets[0].getsockname()[1])
        ready.set()
        async with server:
            await server.serve_forever()

    threading.Thread(target=lambda: asyncio.run(main()), daemon=True).start()
    ready.wait(10)
    return port_box[0]


# Which requests a call made.

REQUESTS = []
_original_putrequest = http.client.HTTPConnection.putrequest


def _recording_putrequest(self, method, url, *args, **kwargs):
    REQUESTS.append((method, url.split('?', 1)[0]))
    return _original_putrequest(self, method, url, *args, **kwargs)


http.client.HTTPConnection.putrequest = _recording_putrequest


class Routes:
    """The paths of the published reference, as the served OpenAPI document lists them."""

    def __init__(self, document):
        self.patterns = []
        for path, item in document['paths'].items():
            regex = re.escape(path.rstrip('/'))
            regex = re.sub(r'\\\{[^}]*\\\}', '[^/]+', regex)
            for method in item:
                self.patterns.append((method.upper(), re.compile(f'^{regex}/?$'), path))

    def find(self, method, path):
        """The route template of a request, or None."""
        for known_method, pattern, template in self.patterns:
            if known_method == method and pattern.match(path):
                return template
        return None


# Calls.


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout(f'no answer within {CALL_TIMEOUT_SECONDS} s')


signal.signal(signal.SIGALRM, _alarm)


def consume(result):
    """Reads paging iterators (and other iterators) page by page, up to MAX_PAGES."""
    if isinstance(result, (str, bytes, dict, list)) or result is None:
        return result
    if hasattr(result, '__next__') or inspect.isgenerator(result):
        pages = []
        for page in result:
            pages.append(page)
            if len(pages) >= MAX_PAGES:
                raise AssertionError(f'more than {MAX_PAGES} pages: the paging never ends')
        return pages
    return result


class Outcome:
    def __init__(self, name, module, error, requests):
        self.name = name
        self.module = module
        self.error = error
        self.requests = requests


def call(outcomes, name, module, function):
    REQUESTS.clear()
    signal.alarm(CALL_TIMEOUT_SECONDS)
    error = None
    try:
        consume(function())
    except Timeout as timeout:
        error = str(timeout)
    except BaseException as exception:  # noqa: BLE001 - every failure is reported
        if isinstance(exception, KeyboardInterrupt):
            raise
        error = f'{type(exception).__name__}: {exception}'.strip()
    finally:
        signal.alarm(0)
    outcomes.append(Outcome(name, module, error, list(REQUESTS)))


def argument_free_calls(client):
    """(name, module, callable) for every SDK function and method that needs no argument."""
    return [
        (f'{module}.{name}', module, function)
        for module, name, function, parameters in names.each_function(client)
        if all(
            parameter.default is not inspect.Parameter.empty
            or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
            for parameter in parameters
        )
    ]


def scenarios(reference, example, files):
    """Hand-written calls: (name, module, callable)."""
    from qumulo.rest.fs import UserMetadataType

    res = []

    # The access-token lifecycle against the example, every read typed by the SDK.
    state = {}

    def login():
        example.login('admin', 'admin')

    def create():
        state['token'] = example.access_tokens.create(Identity({'name': 'alice', 'domain': 'LOCAL'}))
        assert state['token'].bearer_token

    def get():
        metadata = example.access_tokens.get(state['token'].id)
        assert metadata.id == state['token'].id and metadata.creator is not None

    def list_all():
        pages = list(example.access_tokens.list(limit=1))
        ids = [entry.id for page in pages for entry in page.entries]
        assert state['token'].id in ids and len(pages) >= 2, (len(pages), ids)

    def modify():
        metadata = example.access_tokens.modify(state['token'].id, enabled=False)
        assert metadata.enabled is False

    def delete():
        example.access_tokens.delete(state['token'].id)

    def gone():
        try:
            example.access_tokens.get(state['token'].id)
        except RestClient.Error as error:
            assert error.status_code == 404, error
        else:
            raise AssertionError('the deleted token is still there')

    for name, function in [
        ('login', login),
        ('create', create),
        ('get', get),
        ('list', list_all),
        ('modify', modify),
        ('delete', delete),
        ('get_after_delete', gone),
    ]:
        module = 'auth' if name == 'login' else 'access_tokens'
        res.append((f'example: {module}.{name}', module, function))

    # A multi-megabyte file written and read back whole, and a range of it.
    data = random.Random(1).randbytes(8 * 1024 * 1024 + 17)

    def write_file():
        files.fs.write_file(data_file=io.BytesIO(data), id_='sdk-round-trip')

    def read_file():
        out = io.BytesIO()
        files.fs.read_file(file_=out, id_='sdk-round-trip')
        assert out.getvalue() == data, 'the bytes read back differ'

    def read_range():
        out = io.BytesIO()
        files.fs.read_file(file_=out, id_='sdk-round-trip', offset=1000, length=100)
        assert out.getvalue() == data[1000:1100]

    def write_at_offset():
        files.fs.write_file(data_file=io.BytesIO(b'patched'), id_='sdk-round-trip', offset=10)
        out = io.BytesIO()
        files.fs.read_file(file_=out, id_='sdk-round-trip', offset=10, length=7)
        assert out.getvalue() == b'patched'

    for name, function in [
        ('write_file', write_file),
        ('read_file', read_file),
        ('read_file_range', read_range),
        ('write_file_at_offset', write_at_offset),
    ]:
        res.append((f'files: fs.{name}', 'fs', function))

    # Paging iterators whose routes the reference has.
    paging = [
        ('quota.get_all_quotas', 'quota', lambda: reference.quota.get_all_quotas(page_size=10)),
        (
            'quota.get_all_quotas_with_status',
            'quota',
            lambda: reference.quota.get_all_quotas_with_status(page_size=10),
        ),
        ('fs.list_user_metadata', 'fs', lambda: reference.fs.list_user_metadata(id_='2')),
        (
            'fs.list_user_metadata (one type)',
            'fs',
            lambda: reference.fs.list_user_metadata(id_='2', type_=UserMetadataType.GENERIC),
        ),
        ('fs.security_get_key_usage', 'fs', lambda: reference.fs.security_get_key_usage('key1')),
        ('smb.list_file_handles', 'smb', lambda: reference.smb.list_file_handles(limit=10)),
        ('smb.list_smb_sessions', 'smb', lambda: reference.smb.list_smb_sessions(limit=10)),
        (
            'snapshot.get_all_snapshot_tree_diff',
            'snapshot',
            lambda: reference.snapshot.get_all_snapshot_tree_diff(newer_snap=2, older_snap=1),
        ),
        (
            'snapshot.get_all_snapshot_file_diff',
            'snapshot',
            lambda: reference.snapshot.get_all_snapshot_file_diff(
                newer_snap=2, older_snap=1, path='/a'
            ),
        ),
        ('roles.list_all_members', 'roles', lambda: reference.roles.list_all_members('admins')),
        ('access_tokens.list', 'access_tokens', lambda: reference.access_tokens.list(limit=10)),
    ]
    res.extend(paging)

    # Reads (and writes) that assert an ETag.
    def web_ui_round_trip():
        settings = reference.web_ui.get_settings()
        assert settings.etag
        reference.web_ui.set_settings(settings.data, settings.etag)

    def saml_read():
        assert reference.saml.get_settings().etag

    def tenant_read():
        assert reference.multitenancy.get_tenant(1).etag

    res.extend(
        [
            ('web_ui.get_settings + set_settings', 'web_ui', web_ui_round_trip),
            ('saml.get_settings', 'saml', saml_read),
            ('multitenancy.get_tenant', 'multitenancy', tenant_read),
        ]
    )

    # User metadata: values travel as base64.
    def set_metadata():
        reference.fs.set_user_metadata(
            type_=UserMetadataType.GENERIC, key='colour', value=b'blue', id_='2'
        )

    def get_metadata():
        value = reference.fs.get_user_metadata(type_=UserMetadataType.GENERIC, key='colour', id_='2')
        value = getattr(value, 'data', value)
        assert value == b'example', value

    res.extend(
        [
            ('fs.set_user_metadata', 'fs', set_metadata),
            ('fs.get_user_metadata', 'fs', get_metadata),
        ]
    )
    return res


def read_allow_list(path):
    """`module.function  reason` per line; `#` starts a comment."""
    allowed = {}
    with open(path, encoding='utf-8') as text:
        for number, line in enumerate(text, 1):
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            name, _, reason = line.partition(' ')
            if not reason.strip():
                sys.exit(f'{path}:{number}: `{name}` has no reason')
            allowed[name] = (reason.strip(), number)
    return allowed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--reference', required=True, help='base URL of the reference server')
    parser.add_argument('--example', required=True, help='base URL of the access-tokens example')
    parser.add_argument('--files', required=True, help='base URL of the streaming file server')
    parser.add_argument('--allow-list', required=True)
    parser.add_argument('--report', required=True, help='file for one line per call')
    args = parser.parse_args()

    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert('127.0.0.1', 'localhost').configure_cert(context)

    def client(url):
        port = int(url.rsplit(':', 1)[1])
        return RestClient('127.0.0.1', start_terminator(port, context), timeout=CALL_TIMEOUT_SECONDS)

    reference, example, files = client(args.reference), client(args.example), client(args.files)
    with urllib.request.urlopen(f'{args.reference}/openapi.json') as answer:
        routes = Routes(json.load(answer))
    allowed = read_allow_list(args.allow_list)

    outcomes = []
    for name, module, function in argument_free_calls(reference) + scenarios(reference, example, files):
        call(outcomes, name, module, function)

    passed, excused, skipped, needs_arguments, unexplained = 0, 0, 0, 0, []
    for outcome in outcomes:
        if outcome.name in SKIPPED:
            skipped += 1
            print(f'skipped  {outcome.name}: {SKIPPED[outcome.name]}')
            continue
        # Functions whose parameters all have defaults but that still need some of them (one of
        # `path` and `id_`, say) refuse before sending anything: they are not calls.
        if not outcome.requests and (
            outcome.error is None or outcome.error.startswith(('AssertionError', 'ValueError'))
        ):
            needs_arguments += 1
            continue
        entry = allowed.pop(outcome.name, None)
        if outcome.error is None:
            passed += 1
            if entry is not None:
                unexplained.append(
                    f'{outcome.name}: passes, but allow-list line {entry[1]} excuses it: remove the line'
                )
            continue
        requested = ', '.join(f'{m} {p}' for m, p in outcome.requests) or 'no request'
        known = [f'{m} {routes.find(m, p)}' for m, p in outcome.requests if routes.find(m, p)]
        if entry is not None and outcome.requests and not known:
            excused += 1
            print(f'allowed  {outcome.name}: {requested}: {entry[0]}')
        elif entry is not None:
            unexplained.append(
                f'{outcome.name}: {outcome.error} ({requested}); allow-list line {entry[1]} cannot '
                f'excuse it: the reference has {", ".join(known) or "no request of it"}'
            )
        else:
            unexplained.append(f'{outcome.name}: {outcome.error} ({requested})')
    for name, (_, number) in sorted(allowed.items()):
        unexplained.append(f'allow-list line {number}: `{name}` is not a call this check makes')
    for line in unexplained:
        print(f'FAILED   {line}')
    made = [outcome for outcome in outcomes if outcome.requests]
    modules = sorted({outcome.module for outcome in made})
    passing_modules = sorted({o.module for o in made if o.error is None and o.name not in SKIPPED})
    with open(args.report, 'w', encoding='utf-8') as report:
        for outcome in outcomes:
            verdict = 'ok' if outcome.error is None else f'error: {outcome.error.splitlines()[0]}'
            requested = ', '.join(f'{m} {p}' for m, p in outcome.requests) or 'no request'
            report.write(f'{outcome.name}\t{requested}\t{verdict}\n')
    print(
        f'sdk-check: {len(made)} SDK calls across {len(modules)} modules ({needs_arguments} '
        f'argument-free functions sent nothing without arguments, {skipped} skipped): '
        f'{passed} passed (in {len(passing_modules)} modules), {excused} failed on routes the '
        f'published reference lacks '
        f'(allow-listed), {len(unexplained)} unexplained'
    )
    return 1 if unexplained else 0


if __name__ == '__main__':
    sys.exit(main())
