#!/usr/bin/env python3
"""Checks an OpenAPI 3.1 document: its structure, that every $ref resolves,
unique operationIds, path parameters that match their templates, every
schema valid JSON Schema 2020-12, and every example valid against its
schema (media type examples, schema `examples`, realtime event examples).

    validate_openapi.py docs/openapi.json           check; exit 1 on problems
    validate_openapi.py docs/openapi.json --paths   also list "METHOD path"

Run with /usr/bin/python3 (Debian's python3-jsonschema)."""

import argparse
import json
import re
import sys

import jsonschema

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
STATUS = re.compile(r"^([1-5][0-9]{2}|[1-5]XX|default)$")


class Validator:
    def __init__(self, document):
        self.document = document
        self.problems = []
        self.examples = 0
        self.resolver = jsonschema.RefResolver.from_schema(document)

    def problem(self, where, message):
        self.problems.append(f"{where}: {message}")

    def resolve(self, pointer):
        if not pointer.startswith("#/"):
            raise KeyError("only local references are used")
        node = self.document
        for part in pointer[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            node = node[part]
        return node

    def deref(self, node):
        """The object a $ref names; {} when it does not resolve (check_refs
        reports that once)."""
        for _ in range(20):
            if not (isinstance(node, dict) and "$ref" in node):
                return node
            try:
                node = self.resolve(node["$ref"])
            except (KeyError, TypeError, IndexError):
                return {}
        self.problem(str(node.get("$ref")), "reference cycle")
        return {}

    def check_refs(self, node, where="#"):
        if isinstance(node, dict):
            target = node.get("$ref")
            if isinstance(target, str):
                try:
                    self.resolve(target)
                except (KeyError, TypeError, IndexError):
                    self.problem(where, f"unresolved $ref {target}")
            for key, value in node.items():
                self.check_refs(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                self.check_refs(value, f"{where}/{index}")

    def check_example(self, where, schema, example):
        self.examples += 1
        validator = jsonschema.Draft202012Validator(schema, resolver=self.resolver)
        for error in validator.iter_errors(example):
            at = "/".join(str(p) for p in error.absolute_path)
            self.problem(where, f"example at '{at}': {error.message[:240]}")

    def check_schemas(self):
        for name, schema in self.document.get("components", {}).get("schemas", {}).items():
            try:
                jsonschema.Draft202012Validator.check_schema(schema)
            except jsonschema.SchemaError as error:
                self.problem(f"schema {name}", error.message)
            for index, example in enumerate(schema.get("examples", [])):
                self.check_example(f"schema {name} examples[{index}]", schema, example)
        self.walk_property_examples(self.document.get("components", {}).get("schemas", {}))

    def walk_property_examples(self, node, where="#/components/schemas"):
        # `examples` of nested schemas (a property's, an item's).
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, dict) and isinstance(value.get("examples"), list) \
                        and ("type" in value or "anyOf" in value):
                    for example in value["examples"]:
                        self.check_example(f"{where}/{key}", value, example)
                self.walk_property_examples(value, f"{where}/{key}")

    def check_content(self, where, content):
        for media, entry in content.items():
            if "schema" not in entry:
                self.problem(f"{where} {media}", "no schema")
                continue
            if "example" in entry:
                self.check_example(f"{where} {media}", entry["schema"], entry["example"])
            for name, example in entry.get("examples", {}).items():
                self.check_example(f"{where} {media} examples.{name}", entry["schema"],
                                   self.deref(example).get("value"))

    def check_operation(self, path, method, operation, operation_ids):
        where = f"{method.upper()} {path}"
        operation_id = operation.get("operationId")
        if not operation_id:
            self.problem(where, "no operationId")
        elif operation_id in operation_ids:
            self.problem(where, f"operationId {operation_id} also used by "
                                f"{operation_ids[operation_id]}")
        else:
            operation_ids[operation_id] = where
        responses = operation.get("responses")
        if not responses:
            self.problem(where, "no responses")
            responses = {}
        for status, response in responses.items():
            if not STATUS.match(status):
                self.problem(where, f"bad response key {status}")
            response = self.deref(response)
            if "description" not in response:
                self.problem(f"{where} {status}", "response without a description")
            self.check_content(f"{where} {status}", response.get("content", {}))
        body = operation.get("requestBody")
        if body is not None:
            self.check_content(f"{where} request", self.deref(body).get("content", {}))
        declared = set()
        for parameter in operation.get("parameters", []):
            parameter = self.deref(parameter)
            if parameter.get("in") == "path":
                declared.add(parameter.get("name"))
                if parameter.get("required") is not True:
                    self.problem(where, f"path parameter {parameter.get('name')} not required")
            if "schema" not in parameter:
                self.problem(where, f"parameter {parameter.get('name')} without a schema")
        templated = set(re.findall(r"\{([^}]+)\}", path))
        if templated != declared:
            self.problem(where, f"path parameters {sorted(declared)} do not match the "
                                f"template's {sorted(templated)}")

    def run(self):
        document = self.document
        if not str(document.get("openapi", "")).startswith("3.1"):
            self.problem("openapi", "not an OpenAPI 3.1 document")
        for key in ("title", "version"):
            if not document.get("info", {}).get(key):
                self.problem("info", f"no {key}")
        self.check_refs(document)
        self.check_schemas()
        operation_ids = {}
        for path, item in document.get("paths", {}).items():
            if not path.startswith("/"):
                self.problem(path, "a path must start with /")
            for method in METHODS:
                if method in item:
                    self.check_operation(path, method, item[method], operation_ids)
        for name, event in document.get("x-realtime-events", {}).items():
            for key in ("direction", "payload", "example"):
                if key not in event:
                    self.problem(f"event {name}", f"no {key}")
            if "payload" in event and "example" in event:
                self.check_example(f"event {name}", event["payload"], event["example"])
        return operation_ids


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("document")
    parser.add_argument("--paths", action="store_true", help='list "METHOD path"')
    args = parser.parse_args()
    with open(args.document, encoding="utf-8") as f:
        document = json.load(f)
    validator = Validator(document)
    operation_ids = validator.run()
    if args.paths:
        for where in sorted(operation_ids.values(), key=lambda w: (w.split()[1], w)):
            print(where)
    for problem in validator.problems:
        print("problem: " + problem)
    print(f"validate_openapi: {len(operation_ids)} operations, {validator.examples} examples "
          f"checked, {len(validator.problems)} problems")
    return 1 if validator.problems else 0


if __name__ == "__main__":
    sys.exit(main())
