import json
import math


def assert_finite_json(response):
    """The raw body must hold no NaN or Infinity (strict JSON parsing rejects them)."""
    def reject(token):
        raise AssertionError(f"non-finite number {token} in the response")
    json.loads(response.text, parse_constant=reject)


def all_numbers(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from all_numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_numbers(item)
    elif isinstance(value, float):
        assert math.isfinite(value)
        yield value


def first_error(response):
    return response.json()["detail"][0]
