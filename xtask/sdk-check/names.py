"""How often the generated client names an operation as the vendor's Python SDK does.

Run by `cargo xtask sdk-check` with the venv's Python:

    names.py --openapi generated/qumulo-server/openapi.json --report target/sdk-check/names.tsv --at-least N

Which SDK function calls which operation is read from the SDK itself, without a server: every
public function of the SDK's function modules (`qumulo.rest.<module>.<function>(conninfo,
credentials, ...)`) and every public method of the resource objects `RestClient` holds is called
with placeholder arguments (strings, then numbers, then mocks) on a connection whose
`send_request` records the request and answers `{}`. A function that makes exactly one distinct
request, to a route of the reference, belongs to that route's operation; functions that need
real data before they send (the lock listings want a known protocol) or send several requests
are left out.

An operation agrees when the generated method's name equals the name of one SDK function that
calls it, the SDK's name read as written, or without the words of its module's name (our methods
live in a group: `smb.smb_list_shares` -> `list_shares`, `ad.cancel_ad` -> `cancel`), or with a
trailing verb moved first (`ldap.status_get` -> `get_status`). Nothing else is forgiven: `add_`
is not `create_`, and the SDK's `list_user` (one user) is not `get_user`.

Prints the agreement, writes every compared operation to the report (`agree`/`differ`, our name,
the route, the SDK's names), and exits 1 when fewer than `--at-least` operations agree.
"""

import argparse
import importlib
import inspect
import json
import pkgutil
import re
import sys
import warnings
from unittest import mock

import qumulo.lib.request as lib_request
import qumulo.rest as rest_package
from qumulo.rest_client import RestClient

VERBS = {'get', 'set', 'list', 'modify', 'update', 'delete', 'create', 'add', 'put', 'patch'}

# Requests recorded by the fake connection.
RECORDED = []


class _Enough(Exception):
    """Raised once a function has sent more requests than a one-request function would."""


def _record(self, method, uri, *args, **kwargs):
    RECORDED.append((method, uri.split('?', 1)[0]))
    if len(RECORDED) > 3:
        raise _Enough()
    return lib_request.RestResponse({}, '"tag"')


def _placeholder_string(parameter):
    return '/x' if 'path' in parameter.name else 'x'


PLACEHOLDERS = [
    _placeholder_string,
    lambda parameter: 1,
    lambda parameter: mock.MagicMock(),
    lambda parameter: ['x'],
]

# Optional parameters of which one must be given (`id_` or `path`, say).
ONE_OF = ('id_', 'file_id', 'ref', 'path', 'dir_path')


def requests_of(function, parameters):
    """The distinct requests `function` makes with placeholder arguments, or []."""
    required = [
        parameter
        for parameter in parameters
        if parameter.default is inspect.Parameter.empty
        and parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
    ]
    optional = [
        parameter.name
        for parameter in parameters
        if parameter.default is not inspect.Parameter.empty and parameter.name in ONE_OF
    ]
    extras = [{}] + [{name: '/x' if 'path' in name else 'x'} for name in optional[:1]]
    for extra in extras:
        for placeholder in PLACEHOLDERS:
            RECORDED.clear()
            try:
                result = function(*[placeholder(p) for p in required], **extra)
                if hasattr(result, '__next__'):
                    next(result, None)
            except _Enough:
                pass
            except Exception:  # noqa: BLE001 - a placeholder the function refuses: try the next
                pass
            requests = list(dict.fromkeys(RECORDED))
            if requests:
                return requests
    return []


def each_function(client):
    """(module, name, callable, parameters) for every SDK function and resource method that
    `client` (a `RestClient`) exposes: the functions of the function modules, bound to the client
    (their parameters after the connection and credentials ones), and the public methods of the
    resource objects it holds. `drive.py` calls the argument-free ones."""
    for info in pkgutil.iter_modules(rest_package.__path__):
        module = importlib.import_module(f'qumulo.rest.{info.name}')
        handle = getattr(client, info.name, None)
        if handle is None:
            continue
        # Function modules: each `@request` function takes (conninfo, credentials, ...).
        for name, function in sorted(vars(module).items()):
            if name.startswith('_') or not inspect.isfunction(function):
                continue
            if function.__module__ != module.__name__:
                continue
            parameters = list(inspect.signature(function).parameters.values())
            if len(parameters) < 2 or parameters[0].name != 'conninfo':
                continue
            bound = getattr(handle, name, None)
            if bound is not None:
                yield info.name, name, bound, parameters[2:]
        # Class modules: methods of the object the client holds.
        if type(handle).__module__ == module.__name__:
            for name in sorted(dir(handle)):
                method = getattr(handle, name)
                if not name.startswith('_') and inspect.ismethod(method):
                    yield info.name, name, method, list(inspect.signature(method).parameters.values())


def sdk_functions():
    """(module, name, requests) for every SDK function and resource method."""
    lib_request.Connection.send_request = _record
    client = RestClient('localhost', 1)
    return [
        (module, name, requests_of(function, parameters))
        for module, name, function, parameters in each_function(client)
    ]


def routes(document):
    """(method, pattern, path, generated name) for every operation of the OpenAPI document."""
    res = []
    for path, item in document['paths'].items():
        regex = re.sub(r'\\\{[^}]*\\\}', '[^/]+', re.escape(path.rstrip('/')))
        for method, operation in item.items():
            if not isinstance(operation, dict) or 'operationId' not in operation:
                continue
            group = operation['tags'][0]
            name = operation['operationId'][len(group) + 1 :]
            res.append((method.upper(), re.compile(f'^{regex}/?$'), path, f'{group}.{name}'))
    return res


def singular(word):
    return word[:-1] if word.endswith('s') and not word.endswith('ss') else word


def readings(module, name):
    """The ways an SDK function's name may be read (see the module's documentation)."""
    module_words = {form for word in module.split('_') for form in (word, singular(word))}
    words = name.split('_')
    candidates = [words, [word for word in words if word not in module_words]]
    res = set()
    for candidate in candidates:
        if not candidate:
            continue
        res.add('_'.join(candidate))
        if len(candidate) > 1 and candidate[-1] in VERBS:
            res.add('_'.join([candidate[-1]] + candidate[:-1]))
    return res


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--openapi', required=True)
    parser.add_argument('--report', required=True)
    parser.add_argument('--at-least', type=int, default=0)
    args = parser.parse_args()
    warnings.simplefilter('ignore')
    with open(args.openapi, encoding='utf-8') as document:
        known = routes(json.load(document))
    functions = sdk_functions()
    by_operation = {}
    for module, name, requests in functions:
        if len(requests) != 1:
            continue
        method, path = requests[0]
        for known_method, pattern, template, ours in known:
            if known_method == method and pattern.match(path):
                by_operation.setdefault((ours, f'{method} {template}'), []).append((module, name))
                break
    agree = 0
    lines = []
    for (ours, route), sdk in sorted(by_operation.items()):
        method_name = ours.split('.', 1)[1]
        same = any(method_name in readings(module, name) for module, name in sdk)
        agree += same
        names = ' '.join(f'{module}.{name}' for module, name in sdk)
        lines.append(f'{"agree" if same else "differ"}\t{ours}\t{route}\t{names}\n')
    with open(args.report, 'w', encoding='utf-8') as report:
        report.writelines(lines)
    total = len(by_operation)
    mapped = sum(1 for _, _, requests in functions if len(requests) == 1)
    print(
        f'sdk-check: operation names: {agree} of {total} operations the SDK calls have the '
        f"name of one of the SDK's functions for them ({100 * agree / max(total, 1):.1f} %; "
        f'{mapped} of {len(functions)} SDK functions make one request each; every operation: '
        f'{args.report})'
    )
    if agree < args.at_least:
        print(
            f'sdk-check: operation names: {agree} agree, fewer than the {args.at_least} the '
            f'check holds: a naming change moved names away from the SDK\'s (see {args.report})'
        )
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
