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


ADAM_HATS = r"\hat m_t = \frac{m_t}{1-\beta_1^t},\quad \hat v_t = \frac{v_t}{1-\beta_2^t}"


def adamw(values: dict) -> tuple[str, ...]:
    lines = ADAM_MOMENTS
    if values["amsgrad"]:
        lines += (r"v^{\max}_t = \max(v^{\max}_{t-1}, v_t)",
                  r"\hat m_t = \frac{m_t}{1-\beta_1^t},\quad \hat v_t = \frac{v^{\max}_t}{1-\beta_2^t}")
    else:
        lines += (ADAM_HATS,)
    decay = r" + \lambda\, \theta_{t-1}" if values["weight_decay"] else ""
    return lines + (rf"\theta_t = \theta_{{t-1}} - \eta \left(\frac{{\hat m_t}}{{\sqrt{{\hat v_t}} + \epsilon}}{decay}\right)",)


def radam(values: dict) -> tuple[str, ...]:
    return ADAM_MOMENTS + (
        r"\rho_\infty = \frac{2}{1-\beta_2} - 1,\quad \rho_t = \rho_\infty - \frac{2 t \beta_2^t}{1-\beta_2^t}",
        r"r_t = \sqrt{\frac{(\rho_t-4)(\rho_t-2)\rho_\infty}{(\rho_\infty-4)(\rho_\infty-2)\rho_t}}",
        r"\theta_t = \theta_{t-1} - \eta\, \frac{m_t}{1-\beta_1^t} \cdot \begin{cases} r_t \frac{\sqrt{1-\beta_2^t}}"
        r"{\sqrt{v_t} + \epsilon} & \rho_t > 5 \\ 1 & \text{otherwise} \end{cases}")


def lion(values: dict) -> tuple[str, ...]:
    decay = r" + \lambda\, \theta_{t-1}" if values["weight_decay"] else ""
    return (r"c_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g_t",
            rf"\theta_t = \theta_{{t-1}} - \eta \left(\operatorname{{sign}}(c_t){decay}\right)",
            r"m_t = \beta_2 m_{t-1} + (1 - \beta_2)\, g_t")


def lbfgs(values: dict) -> tuple[str, ...]:
    length = (r"\alpha_t \text{ satisfies the strong Wolfe conditions, tried from } \eta" if values["strong_wolfe"]
              else r"\alpha_1 = \min(1, 1/\|g_1\|_1)\,\eta,\quad \alpha_t = \eta")
    return (r"s_i = \theta_i - \theta_{i-1},\quad y_i = g_{i+1} - g_i \quad (\text{the last } m \text{ pairs with } y_i^\top s_i > 10^{-10})",
            r"d_t = -H_t g_t,\quad H_t \text{ from the two-loop recursion, } H^0 = \frac{y^\top s}{y^\top y} I",
            length,
            r"\theta_t = \theta_{t-1} + \alpha_t d_t")


def _schedule_free(base: str, beta: str) -> tuple[str, ...]:
    return (rf"y_t = (1 - {beta})\, z_{{t-1}} + {beta}\, x_{{t-1}},\quad g_t = \nabla f(y_t)",
            base,
            r"w_t = t^r\, \eta_{\max,t}^p,\quad c_t = \frac{w_t}{\sum_{i \le t} w_i},\quad x_t = (1 - c_t)\, x_{t-1} + c_t\, z_t")


def schedule_free_sgd(values: dict) -> tuple[str, ...]:
    decay = r" + \lambda\, y_t" if values["weight_decay"] else ""
    return _schedule_free(rf"z_t = z_{{t-1}} - \eta\,(g_t{decay})", r"\beta")


def schedule_free_adamw(values: dict) -> tuple[str, ...]:
    decay = r" + \lambda\, y_t" if values["weight_decay"] else ""
    return _schedule_free(r"v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2,\quad "
                          rf"z_t = z_{{t-1}} - \eta \left(\frac{{g_t}}{{\sqrt{{v_t/(1-\beta_2^t)}} + \epsilon}}{decay}\right)",
                          r"\beta_1")


def muon(values: dict) -> tuple[str, ...]:
    look_ahead = (r"\tilde B_t = (1 - \mu)\, g_t + \mu B_t" if values["nesterov"] else r"\tilde B_t = B_t")
    decay = r" - \eta\lambda\, W_{t-1}" if values["weight_decay"] else ""
    return (r"B_t = \mu B_{t-1} + (1 - \mu)\, g_t", look_ahead,
            r"O_t = \mathrm{NS}_k(\tilde B_t) \approx U V^\top \text{ for } \tilde B_t = U \Sigma V^\top",
            rf"W_t = W_{{t-1}} - \eta \sqrt{{\max(1, \tfrac{{\text{{fan-out}}}}{{\text{{fan-in}}}})}}\, O_t{decay}")
