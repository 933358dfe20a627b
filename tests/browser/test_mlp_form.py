"""The MLP form is generated from the configuration schema of GET /api/mlp/options: every field
has its control with the schema's bounds, a field or registry entry the server adds appears with
no JavaScript change, and the comparison's size and the lecture presets come from the server."""
import pytest

from .mlp_helpers import SMALL, add_run, api_options, chip_names, mlp_page, set_fields  # noqa: F401

pytestmark = pytest.mark.browser


def mlp_state(watch):
    return watch.page.evaluate("() => JSON.parse(JSON.stringify(window.optvizMlp.state.mlp))")


def test_every_schema_field_has_a_control_in_its_group_with_the_schema_bounds(mlp_page, server_url):
    schema = api_options(server_url)["schema"]
    watch = mlp_page()
    for field in schema:
        if field["kind"] == "text":
            continue
        group = watch.page.locator(f"#mlp-group-{field['group']} [data-field={field['name']}]")
        assert group.count() == 1, field["name"]
        if field["kind"] == "int" and not field["nullable"]:
            box = group.locator(f"input[type=number][data-param={field['name']}]")
            assert float(box.get_attribute("min")) == field["minimum"], field["name"]
            assert float(box.get_attribute("max")) == field["maximum"], field["name"]
        if field["kind"] == "choice":
            values = group.locator("select option").evaluate_all("(options) => options.map(o => o.value)")
            assert values == field["allowed"], field["name"]
    assert watch.errors == []


def test_units_per_layer_is_any_whole_number_in_range(mlp_page, server_url):
    hidden = next(f for f in api_options(server_url)["schema"] if f["kind"] == "units")
    watch = mlp_page()
    units = watch.page.locator("[data-param=hidden-units]")
    assert float(units.get_attribute("max")) == hidden["maximum"]
    units.fill("100")
    units.dispatch_event("change")
    assert mlp_state(watch)["config"]["hidden"] == [100] * len(hidden["default"])
    units.fill(str(hidden["maximum"] + 1))  # refused: the configuration keeps 100
    units.dispatch_event("change")
    assert mlp_state(watch)["config"]["hidden"] == [100] * len(hidden["default"])
    depth = watch.page.locator("[data-param=hidden-depth]")
    depth.fill("6")
    depth.dispatch_event("change")
    assert mlp_state(watch)["config"]["hidden"] == [100] * 6


def with_new_field_and_initializer(options):
    """What a server with one more configuration field and one more initializer would answer."""
    options["schema"].append({"name": "warmup_epochs", "title": "warm-up epochs", "meaning": "epochs at a low rate",
                              "group": "training", "kind": "int", "default": 0, "nullable": False,
                              "minimum": 0, "maximum": 50})
    options["defaults"]["warmup_epochs"] = 0
    init = next(f for f in options["schema"] if f["name"] == "init")
    init["allowed"].append("constant_0.5")
    options["initializers"].append({"name": "constant_0.5", "title": "constant 0.5", "formula": "W = 0.5",
                                    "formula_mathml": "<math><mi>W</mi><mo>=</mo><mn>0.5</mn></math>",
                                    "help": "Every weight the same: the units of a layer stay identical (symmetry)."})
    return options


def test_a_field_and_an_initializer_the_server_adds_appear_and_survive_a_link(mlp_page):
    watch = mlp_page(patch=with_new_field_and_initializer)
    box = watch.page.locator("#mlp-group-training [data-field=warmup_epochs] input[data-param=warmup_epochs]")
    assert float(box.get_attribute("max")) == 50
    box.fill("7")
    box.dispatch_event("change")
    watch.page.select_option("#mlp-field-init", "constant_0.5")
    assert "symmetry" in watch.page.inner_text("[data-field=init]")
    assert watch.page.evaluate("() => location.search").count("warmup_epochs:7") == 1
    config = mlp_state(watch)["config"]
    assert config["warmup_epochs"] == 7 and config["init"] == "constant_0.5"
    link = watch.page.evaluate("() => location.search")
    restored = mlp_page("&" + link[1:], patch=with_new_field_and_initializer)
    assert mlp_state(restored)["config"] == config
    assert watch.errors == [] and restored.errors == []


def test_the_comparison_size_is_the_servers(mlp_page):
    watch = mlp_page(patch=lambda options: {**options, "max_configs": 2})
    for seed in range(3):  # three configurations (one configuration is added once)
        set_fields(watch, seed=seed)
        watch.page.click("#mlp-add")
    assert watch.page.locator(".run-chip").count() == 2
    assert "at most 2 configurations" in watch.page.inner_text("#banner")
    watch.page.click("#mlp-clear")
    assert watch.page.is_hidden("#banner")  # Clear clears the banners
    assert watch.page.locator(".run-chip").count() == 0


def with_preset(options):
    options["presets"] = [{"id": "two-rates", "title": "Two learning rates",
                           "explanation": "The same network at η = 0.5 and η = 0.005: the small rate barely moves.",
                           "configs": [{**SMALL, "params": {"lr": 0.5}}, {**SMALL, "params": {"lr": 0.005}}]}]
    return options


def test_lecture_presets_come_from_the_server_with_their_explanation(mlp_page, server_url):
    served = api_options(server_url).get("presets", [])
    watch = mlp_page()
    assert watch.page.locator("[data-mlp-preset]").all_inner_texts() == [p["title"] for p in served]
    watch = mlp_page(patch=with_preset)
    watch.page.click("[data-mlp-preset=two-rates]")
    explanation = watch.page.inner_text("#mlp-preset-explanation")
    assert "the small rate barely moves" in explanation and "Two learning rates" in explanation
    watch.page.wait_for_function("() => window.optvizMlp.results.every(r => r && r.summary)", timeout=30000)
    runs = mlp_state(watch)["runs"]
    assert [r["params"] for r in runs] == [{"lr": 0.5}, {"lr": 0.005}] and runs[0]["hidden"] == [8, 8]
    names = chip_names(watch)
    assert "0.5" in names[0] and "0.005" in names[1]
    watch.page.click("#mlp-clear")
    assert watch.page.is_hidden("#mlp-preset-explanation")


def test_changing_the_optimizer_starts_from_its_torch_defaults(mlp_page, server_url):
    watch = mlp_page()
    optimizers = {o["name"]: o for o in watch.page.evaluate("() => fetch('/api/optimizers').then(r => r.json())")}
    for name in ("adam", "rmsprop"):
        watch.page.select_option("#mlp-field-optimizer", name)
        lr = next(h["default"] for h in optimizers[name]["hyperparameters"] if h["name"] == "lr")
        assert mlp_state(watch)["config"]["params"] == {"lr": lr}
        shown = float(watch.page.locator("[data-field=params] input[type=number]").first.input_value())
        assert shown == pytest.approx(lr)
