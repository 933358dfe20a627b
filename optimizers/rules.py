"""The update rule an optimizer runs, as LaTeX, for the options that are on.

Each function takes the resolved hyperparameters (defaults overlaid with the user's
values) and returns one equation per line in the lecture notes' symbols: g_t is the
gradient at θ_{t-1}, η the (scheduled) learning rate. An option that is off adds no
term, so the rule on screen is the one make_optimizer builds from the same values.
"""
from __future__ import annotations

GRADIENT = r"g_t = \nabla f(\theta_{t-1})"
COUPLED_DECAY = r"g_t = \nabla f(\theta_{t-1}) + \lambda\, \theta_{t-1}"


def gradient_line(values: dict) -> tuple[str, ...]:
    """torch's coupled weight decay adds λθ to the gradient before anything else sees it."""
    return (COUPLED_DECAY,) if values.get("weight_decay") else ()


def _momentum_buffer(mu: str, dampening: float) -> str:
    new = r"(1 - \tau)\, g_t" if dampening else "g_t"
    return rf"v_1 = g_1,\quad v_t = {mu} v_{{t-1}} + {new}"


def sgd(values: dict) -> tuple[str, ...]:
    momentum, nesterov = values.get("momentum", 0.0), values.get("nesterov", False)
    if values.get("ema"):
        return (r"v_0 = 0,\quad v_t = \mu v_{t-1} + (1 - \mu)\, g_t", r"\theta_t = \theta_{t-1} - \eta\, v_t")
    if not momentum:
        return (r"\theta_t = \theta_{t-1} - \eta\, g_t",)
    buffer = _momentum_buffer(r"\mu", values.get("dampening", 0.0))
    if nesterov:
        return (buffer, r"\theta_t = \theta_{t-1} - \eta\,(g_t + \mu v_t)")
    return (buffer, r"\theta_t = \theta_{t-1} - \eta\, v_t")


def adagrad(values: dict) -> tuple[str, ...]:
    start = r"G_0 = G_{\mathrm{init}},\quad " if values["initial_accumulator_value"] else ""
    rate = r"\frac{\eta}{1 + (t-1)\,\delta}" if values["lr_decay"] else r"\eta"
    return (start + r"G_t = G_{t-1} + g_t^2",
            rf"\theta_t = \theta_{{t-1}} - {rate}\,\frac{{g_t}}{{\sqrt{{G_t}} + \epsilon}}")


def adadelta(values: dict) -> tuple[str, ...]:
    return (r"E[g^2]_t = \rho E[g^2]_{t-1} + (1-\rho) g_t^2",
            r"\Delta\theta_t = -\frac{\sqrt{E[\Delta\theta^2]_{t-1} + \epsilon}}{\sqrt{E[g^2]_t + \epsilon}}\, g_t",
            r"E[\Delta\theta^2]_t = \rho E[\Delta\theta^2]_{t-1} + (1-\rho) \Delta\theta_t^2",
            r"\theta_t = \theta_{t-1} + \eta\, \Delta\theta_t")


def rmsprop(values: dict) -> tuple[str, ...]:
    lines = [r"v_t = \alpha v_{t-1} + (1-\alpha) g_t^2"]
    if values["centered"]:
        lines.append(r"\bar g_t = \alpha \bar g_{t-1} + (1-\alpha) g_t")
        denominator = r"\sqrt{v_t - \bar g_t^2} + \epsilon"
    else:
        denominator = r"\sqrt{v_t} + \epsilon"
    if values["momentum"]:
        lines += [rf"b_t = \mu b_{{t-1}} + \frac{{g_t}}{{{denominator}}}", r"\theta_t = \theta_{t-1} - \eta\, b_t"]
    else:
        lines.append(rf"\theta_t = \theta_{{t-1}} - \eta\, \frac{{g_t}}{{{denominator}}}")
    return tuple(lines)


ADAM_MOMENTS = (r"m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t",
                r"v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2")
ADAM_STEP = r"\theta_t = \theta_{t-1} - \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}"


def adam(values: dict) -> tuple[str, ...]:
    if not values.get("bias_correction", True):
        return ADAM_MOMENTS + (r"\theta_t = \theta_{t-1} - \eta\, \frac{m_t}{\sqrt{v_t} + \epsilon}",)
    return ADAM_MOMENTS + (r"\hat m_t = \frac{m_t}{1-\beta_1^t},\quad \hat v_t = \frac{v_t}{1-\beta_2^t}", ADAM_STEP)


def amsgrad(values: dict) -> tuple[str, ...]:
    return ADAM_MOMENTS + (r"v^{\max}_t = \max(v^{\max}_{t-1}, v_t)",
                           r"\hat m_t = \frac{m_t}{1-\beta_1^t},\quad \hat v_t = \frac{v^{\max}_t}{1-\beta_2^t}",
                           ADAM_STEP)


def adamax(values: dict) -> tuple[str, ...]:
    return (r"m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t", r"u_t = \max(\beta_2 u_{t-1},\ |g_t| + \epsilon)",
            r"\theta_t = \theta_{t-1} - \frac{\eta}{1-\beta_1^t}\, \frac{m_t}{u_t}")


def nadam(values: dict) -> tuple[str, ...]:
    return ((r"\mu_t = \beta_1 \left(1 - \tfrac{1}{2}\, 0.96^{t\psi}\right)",) + ADAM_MOMENTS + (
        r"\theta_t = \theta_{t-1} - \eta \left(\frac{(1-\mu_t)\, g_t}{1-\prod_{i\le t}\mu_i}"
        r" + \frac{\mu_{t+1}\, m_t}{1-\prod_{i\le t+1}\mu_i}\right) \Big/ \left(\sqrt{\tfrac{v_t}{1-\beta_2^t}} + \epsilon\right)",))


def newton(values: dict) -> tuple[str, ...]:
    if values["damping"]:
        return (r"\theta_t = \theta_{t-1} - \eta\, (H_t + \lambda I)^{-1} g_t",)
    return (r"\theta_t = \theta_{t-1} - \eta\, H_t^{-1} g_t",)
