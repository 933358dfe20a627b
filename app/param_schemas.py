"""JSON Schema of every name-dependent part of a request, generated from the registries'
declared parameter schemas (paramschema.Hyperparameter): an optimizer's params, a schedule's
params, a surface's surface_params and where its start may lie. Pydantic validates the shape;
the domain validates each value with the same declarations; this module says both in OpenAPI,
so a client (or schemathesis) reads from the schema exactly what the server accepts.

A name-dependent part is an `anyOf` of branches, one per name, each pinning the name with
`const` (so the branches never overlap) and giving that name's own object schema."""
from __future__ import annotations

from paramschema import Hyperparameter


def value_schema(h: Hyperparameter) -> dict:
    """One hyperparameter's JSON values: the same ranges Hyperparameter.validate enforces."""
    if h.kind == "bool":
        return {"type": "boolean"}
    number = {"type": "integer" if h.kind == "int" else "number", "minimum": h.minimum}
    number["exclusiveMaximum" if h.maximum_exclusive else "maximum"] = h.maximum
    if h.kind == "pair":
        return {"type": "array", "prefixItems": [number, number], "items": False, "minItems": 2, "maxItems": 2}
    return number


def params_schema(hyperparameters: tuple[Hyperparameter, ...], *, fixed: dict | None = None,
                  omitted: tuple[str, ...] = ()) -> dict:
    """An object of these hyperparameters, none required (omitted ones take their defaults);
    `fixed` names values that must stay as they are where the request is used (a flag the MLP
    cannot honour), `omitted` names that are given elsewhere in the request."""
    properties = {}
    for h in hyperparameters:
        if h.name in omitted:
            continue
        properties[h.name] = {"const": fixed[h.name]} if fixed and h.name in fixed else value_schema(h)
    return {"type": "object", "properties": properties, "additionalProperties": False}


def holds(h: Hyperparameter, schema: dict, default_holds: bool) -> dict:
    """The resolved value of `h` (given, or else its default) satisfies `schema`."""
    given = {"required": [h.name], "properties": {h.name: schema}}
    return {"anyOf": [given, {"not": {"required": [h.name]}}]} if default_holds else given


def _option_rules(hyperparameters: tuple[Hyperparameter, ...]) -> list[dict]:
    """optimizers.registry.check_options as JSON Schema: Nesterov needs a momentum and no
    dampening; the EMA form of momentum takes no dampening (tests/app/test_param_schemas.py
    checks every combination against the registry, so the two cannot drift apart)."""
    by_name = {h.name: h for h in hyperparameters}

    def off(name):  # a flag that is false once resolved
        return holds(by_name[name], {"const": False}, by_name[name].default is False)

    def zero(name):
        return holds(by_name[name], {"const": 0}, by_name[name].default == 0)

    rules = []
    if "nesterov" in by_name and "momentum" in by_name:
        momentum = holds(by_name["momentum"], {"exclusiveMinimum": 0}, by_name["momentum"].default > 0)
        needs = [momentum] + ([zero("dampening")] if "dampening" in by_name else [])
        rules.append({"anyOf": [off("nesterov"), {"allOf": needs}]})
    if "ema" in by_name and "dampening" in by_name:
        rules.append({"anyOf": [off("ema"), zero("dampening")]})
    return rules


def optimizer_params_schema(spec, *, fixed: dict | None = None, omitted: tuple[str, ...] = ()) -> dict:
    schema = params_schema(spec.hyperparameters, fixed=fixed, omitted=omitted)
    rules = _option_rules(spec.hyperparameters)
    return {**schema, "allOf": rules} if rules else schema


def branches(field: str, variants: dict[str, dict], default: str | None = None) -> dict:
    """`anyOf` one branch per name: the name in `field` (const) with its own property schemas.
    A request without the field takes `default`'s branch only (every other one requires it)."""
    out = []
    for name, properties in variants.items():
        branch = {"properties": {field: {"const": name}, **properties}}
        if name != default:
            branch["required"] = [field]
        out.append(branch)
    return {"anyOf": out}


def schedule_branches(schedules: dict, warmup: Hyperparameter) -> dict:
    """ScheduleRequest: each schedule's params (its own hyperparameters and the shared warm-up)."""
    return branches("name", {name: {"params": params_schema(spec.hyperparameters + (warmup,))}
                             for name, spec in schedules.items()})


def point_schema(domain) -> dict:
    """A start the runner accepts: within the plot widened by its own size on every side."""
    axes = []
    for low, high in domain:
        width = high - low
        axes.append({"type": "number", "minimum": low - width, "maximum": high + width})
    return {"type": "array", "prefixItems": axes, "items": False, "minItems": 2, "maxItems": 2}
