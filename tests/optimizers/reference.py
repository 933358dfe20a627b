"""torch.optim's documented algorithms, transcribed in plain Python floats, one
coordinate at a time: an independent reference for the numpy transformations.

Each function takes a gradient function on a list of floats and returns the list of
iterates. The pseudo-code follows the "Algorithm" boxes of the torch.optim docs.
"""
import math


def sgd(grad, x, steps, lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
    path, b = [list(x)], None
    for t in range(1, steps + 1):
        g = [gi + weight_decay * xi for gi, xi in zip(grad(x), x)]
        if momentum:
            b = list(g) if t == 1 else [momentum * bi + (1 - dampening) * gi for bi, gi in zip(b, g)]
            g = [gi + momentum * bi for gi, bi in zip(g, b)] if nesterov else b
        x = [xi - lr * gi for xi, gi in zip(x, g)]
        path.append(x)
    return path


def adagrad(grad, x, steps, lr, lr_decay=0.0, initial_accumulator_value=0.0, eps=1e-10):
    path, s = [list(x)], [initial_accumulator_value] * len(x)
    for t in range(1, steps + 1):
        g = grad(x)
        clr = lr / (1 + (t - 1) * lr_decay)
        s = [si + gi * gi for si, gi in zip(s, g)]
        x = [xi - clr * gi / (math.sqrt(si) + eps) for xi, gi, si in zip(x, g, s)]
        path.append(x)
    return path


def adadelta(grad, x, steps, lr=1.0, rho=0.9, eps=1e-6):
    path, v, u = [list(x)], [0.0] * len(x), [0.0] * len(x)
    for _ in range(steps):
        g = grad(x)
        v = [rho * vi + (1 - rho) * gi * gi for vi, gi in zip(v, g)]
        d = [math.sqrt(ui + eps) / math.sqrt(vi + eps) * gi for ui, vi, gi in zip(u, v, g)]
        u = [rho * ui + (1 - rho) * di * di for ui, di in zip(u, d)]
        x = [xi - lr * di for xi, di in zip(x, d)]
        path.append(x)
    return path


def rmsprop(grad, x, steps, lr, alpha=0.99, eps=1e-8, momentum=0.0, centered=False):
    n = len(x)
    path, v, gavg, b = [list(x)], [0.0] * n, [0.0] * n, [0.0] * n
    for _ in range(steps):
        g = grad(x)
        v = [alpha * vi + (1 - alpha) * gi * gi for vi, gi in zip(v, g)]
        if centered:
            gavg = [alpha * ai + (1 - alpha) * gi for ai, gi in zip(gavg, g)]
            avg = [math.sqrt(vi - ai * ai) + eps for vi, ai in zip(v, gavg)]
        else:
            avg = [math.sqrt(vi) + eps for vi in v]
        if momentum:
            b = [momentum * bi + gi / ai for bi, gi, ai in zip(b, g, avg)]
            x = [xi - lr * bi for xi, bi in zip(x, b)]
        else:
            x = [xi - lr * gi / ai for xi, gi, ai in zip(x, g, avg)]
        path.append(x)
    return path


def adam(grad, x, steps, lr, b1=0.9, b2=0.999, eps=1e-8, amsgrad=False, weight_decay=0.0):
    n = len(x)
    path, m, v, vmax = [list(x)], [0.0] * n, [0.0] * n, [0.0] * n
    for t in range(1, steps + 1):
        g = [gi + weight_decay * xi for gi, xi in zip(grad(x), x)]
        m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m, g)]
        v = [b2 * vi + (1 - b2) * gi * gi for vi, gi in zip(v, g)]
        mhat = [mi / (1 - b1 ** t) for mi in m]
        if amsgrad:
            vmax = [max(a, b) for a, b in zip(vmax, v)]
            vhat = [vi / (1 - b2 ** t) for vi in vmax]
        else:
            vhat = [vi / (1 - b2 ** t) for vi in v]
        x = [xi - lr * mh / (math.sqrt(vh) + eps) for xi, mh, vh in zip(x, mhat, vhat)]
        path.append(x)
    return path


def adamax(grad, x, steps, lr, b1=0.9, b2=0.999, eps=1e-8):
    n = len(x)
    path, m, u = [list(x)], [0.0] * n, [0.0] * n
    for t in range(1, steps + 1):
        g = grad(x)
        m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m, g)]
        u = [max(b2 * ui, abs(gi) + eps) for ui, gi in zip(u, g)]
        x = [xi - lr / (1 - b1 ** t) * mi / ui for xi, mi, ui in zip(x, m, u)]
        path.append(x)
    return path


def nadam(grad, x, steps, lr, b1=0.9, b2=0.999, eps=1e-8, momentum_decay=4e-3):
    n = len(x)
    path, m, v, product = [list(x)], [0.0] * n, [0.0] * n, 1.0
    for t in range(1, steps + 1):
        g = grad(x)
        mu = b1 * (1 - 0.5 * 0.96 ** (t * momentum_decay))
        mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentum_decay))
        product *= mu
        m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m, g)]
        v = [b2 * vi + (1 - b2) * gi * gi for vi, gi in zip(v, g)]
        denom = [math.sqrt(vi / (1 - b2 ** t)) + eps for vi in v]
        x = [xi - lr * (1 - mu) / (1 - product) * gi / di - lr * mu_next / (1 - product * mu_next) * mi / di
             for xi, gi, mi, di in zip(x, g, m, denom)]
        path.append(x)
    return path


# ---- the optimizers of issue #13, from torch's documented algorithms and the papers' reference code ----

def adamw(grad, x, steps, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8, weight_decay=1e-2, amsgrad=False):
    """torch.optim.AdamW: θ ← θ(1 − γλ), then the Adam step."""
    n = len(x)
    path, m, v, vmax = [list(x)], [0.0] * n, [0.0] * n, [0.0] * n
    for t in range(1, steps + 1):
        g = grad(x)
        x = [xi * (1 - lr * weight_decay) for xi in x]
        m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m, g)]
        v = [b2 * vi + (1 - b2) * gi * gi for vi, gi in zip(v, g)]
        if amsgrad:
            vmax = [max(a, b) for a, b in zip(vmax, v)]
        second = vmax if amsgrad else v
        x = [xi - lr * (mi / (1 - b1 ** t)) / (math.sqrt(si / (1 - b2 ** t)) + eps)
             for xi, mi, si in zip(x, m, second)]
        path.append(x)
    return path


def radam(grad, x, steps, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.0):
    """torch.optim.RAdam's algorithm box."""
    n = len(x)
    path, m, v = [list(x)], [0.0] * n, [0.0] * n
    rho_inf = 2 / (1 - b2) - 1
    for t in range(1, steps + 1):
        g = [gi + weight_decay * xi for gi, xi in zip(grad(x), x)]
        m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m, g)]
        v = [b2 * vi + (1 - b2) * gi * gi for vi, gi in zip(v, g)]
        mhat = [mi / (1 - b1 ** t) for mi in m]
        rho = rho_inf - 2 * t * b2 ** t / (1 - b2 ** t)
        if rho > 5:
            r = math.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
            x = [xi - lr * mh * r * math.sqrt(1 - b2 ** t) / (math.sqrt(vi) + eps) for xi, mh, vi in zip(x, mhat, v)]
        else:
            x = [xi - lr * mh for xi, mh in zip(x, mhat)]
        path.append(x)
    return path


def lion(grad, x, steps, lr=1e-4, b1=0.9, b2=0.99, weight_decay=0.0):
    """Chen et al. 2023, Algorithm 2 (Lion)."""
    path, m = [list(x)], [0.0] * len(x)
    sign = lambda c: (c > 0) - (c < 0)  # noqa: E731
    for _ in range(steps):
        g = grad(x)
        c = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m, g)]
        x = [xi - lr * (sign(ci) + weight_decay * xi) for xi, ci in zip(x, c)]
        m = [b2 * mi + (1 - b2) * gi for mi, gi in zip(m, g)]
        path.append(x)
    return path


def schedule_free_sgd(grad, x, steps, lr=1.0, momentum=0.9, weight_decay=0.0, warmup_steps=0, r=0.0,
                      weight_lr_power=2.0):
    """schedulefree.SGDScheduleFreeReference.step, one coordinate list at a time. Returns the y path
    (where gradients are taken) and the x path (the average the reference evaluates)."""
    z, xs, y = list(x), list(x), list(x)
    ys, averages = [list(y)], [list(xs)]
    weight_sum, lr_max = 0.0, -1.0
    for k in range(steps):
        sched = (k + 1) / warmup_steps if k < warmup_steps else 1.0
        lr_k = lr * sched
        lr_max = max(lr_k, lr_max)
        weight = (k + 1) ** r * lr_max ** weight_lr_power
        weight_sum += weight
        ckp1 = weight / weight_sum if weight_sum else 0.0
        g = [gi + weight_decay * yi for gi, yi in zip(grad(y), y)]
        z = [zi - lr_k * gi for zi, gi in zip(z, g)]
        xs = [xi * (1 - ckp1) + zi * ckp1 for xi, zi in zip(xs, z)]
        y = [xi * momentum + zi * (1 - momentum) for xi, zi in zip(xs, z)]
        ys.append(list(y))
        averages.append(list(xs))
    return ys, averages


def schedule_free_adamw(grad, x, steps, lr=0.0025, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.0, warmup_steps=0,
                        r=0.0, weight_lr_power=2.0):
    """schedulefree.AdamWScheduleFreeReference.step (decay_at_z=False)."""
    n = len(x)
    z, xs, y, v = list(x), list(x), list(x), [0.0] * n
    ys, averages = [list(y)], [list(xs)]
    weight_sum, lr_max = 0.0, -1.0
    for k in range(steps):
        sched = (k + 1) / warmup_steps if k < warmup_steps else 1.0
        bias_correction2 = 1 - b2 ** (k + 1)
        lr_k = lr * sched
        lr_max = max(lr_k, lr_max)
        weight = (k + 1) ** r * lr_max ** weight_lr_power
        weight_sum += weight
        ckp1 = weight / weight_sum if weight_sum else 0.0
        g = grad(y)
        z = [zi - lr_k * weight_decay * yi for zi, yi in zip(z, y)]
        v = [b2 * vi + (1 - b2) * gi * gi for vi, gi in zip(v, g)]
        z = [zi - lr_k * gi / (math.sqrt(vi / bias_correction2) + eps) for zi, gi, vi in zip(z, g, v)]
        xs = [xi * (1 - ckp1) + zi * ckp1 for xi, zi in zip(xs, z)]
        y = [xi * b1 + zi * (1 - b1) for xi, zi in zip(xs, z)]
        ys.append(list(y))
        averages.append(list(xs))
    return ys, averages


def _dot(a, b):
    return sum(ai * bi for ai, bi in zip(a, b))


def lbfgs(grad, x, steps, lr=1.0, history_size=100, tolerance_grad=1e-7, tolerance_change=1e-9, f=None,
          max_eval=25):
    """torch.optim.LBFGS.step with max_iter = 1, called `steps` times (state kept across calls).
    With f given, the strong-Wolfe line search of torch.optim.lbfgs (see strong_wolfe below)."""
    path = [list(x)]
    n_iter, d, t, prev_g = 0, None, None, None
    old_dirs, old_stps, ro, h_diag = [], [], [], 1.0
    for _ in range(steps):
        g = grad(x)
        if max(abs(gi) for gi in g) <= tolerance_grad:
            path.append(list(x))
            continue
        n_iter += 1
        if n_iter == 1:
            d = [-gi for gi in g]
            old_dirs, old_stps, ro, h_diag = [], [], [], 1.0
        else:
            y = [gi - pi for gi, pi in zip(g, prev_g)]
            s = [di * t for di in d]
            ys = _dot(y, s)
            if ys > 1e-10:
                if len(old_dirs) == history_size:
                    old_dirs.pop(0), old_stps.pop(0), ro.pop(0)
                old_dirs.append(y), old_stps.append(s), ro.append(1.0 / ys)
                h_diag = ys / _dot(y, y)
            al = [0.0] * len(old_dirs)
            q = [-gi for gi in g]
            for i in range(len(old_dirs) - 1, -1, -1):
                al[i] = _dot(old_stps[i], q) * ro[i]
                q = [qi - al[i] * yi for qi, yi in zip(q, old_dirs[i])]
            r = [qi * h_diag for qi in q]
            for i in range(len(old_dirs)):
                be = _dot(old_dirs[i], r) * ro[i]
                r = [ri + (al[i] - be) * si for ri, si in zip(r, old_stps[i])]
            d = r
        prev_g = list(g)
        t = min(1.0, 1.0 / sum(abs(gi) for gi in g)) * lr if n_iter == 1 else lr
        gtd = _dot(g, d)
        if gtd > -tolerance_change:
            path.append(list(x))
            continue
        if f is not None:
            t = strong_wolfe(f, grad, x, t, d, f(x), g, gtd, max_ls=max_eval - 1)
        x = [xi + t * di for xi, di in zip(x, d)]
        path.append(list(x))
    return path


def _cubic(x1, f1, g1, x2, f2, g2, bounds=None):
    lo, hi = bounds if bounds is not None else ((x1, x2) if x1 <= x2 else (x2, x1))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 ** 2 - g1 * g2
    if d2_square < 0:
        return (lo + hi) / 2.0
    d2 = math.sqrt(d2_square)
    if x1 <= x2:
        pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(pos, lo), hi)


def strong_wolfe(f, grad, x, t, d, f0, g0, gtd0, c1=1e-4, c2=0.9, tolerance_change=1e-9, max_ls=25):
    """torch.optim.lbfgs._strong_wolfe (lswolfe.lua): bracketing, then zoom. Returns the step length."""
    def at(step):
        point = [xi + step * di for xi, di in zip(x, d)]
        g = grad(point)
        return f(point), _dot(g, d)

    d_norm = max(abs(di) for di in d)
    f_new, gtd_new = at(t)
    t_prev, f_prev, gtd_prev = 0.0, f0, gtd0
    done, ls_iter = False, 0
    br, br_f, br_gtd = None, None, None
    while ls_iter < max_ls:
        if f_new > f0 + c1 * t * gtd0 or (ls_iter > 1 and f_new >= f_prev):
            br, br_f, br_gtd = [t_prev, t], [f_prev, f_new], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd0:
            br, br_f, done = [t], [f_new], True
            break
        if gtd_new >= 0:
            br, br_f, br_gtd = [t_prev, t], [f_prev, f_new], [gtd_prev, gtd_new]
            break
        lo, hi = t + 0.01 * (t - t_prev), t * 10
        t_prev, f_prev, gtd_prev, t = t, f_new, gtd_new, _cubic(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, (lo, hi))
        f_new, gtd_new = at(t)
        ls_iter += 1
    if ls_iter == max_ls:
        br, br_f = [0.0, t], [f0, f_new]
    insufficient = False
    low, high = (0, 1) if br_f[0] <= br_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(br[1] - br[0]) * d_norm < tolerance_change:
            break
        t = _cubic(br[0], br_f[0], br_gtd[0], br[1], br_f[1], br_gtd[1])
        eps = 0.1 * (max(br) - min(br))
        if min(max(br) - t, t - min(br)) < eps:
            if insufficient or t >= max(br) or t <= min(br):
                t = max(br) - eps if abs(t - max(br)) < abs(t - min(br)) else min(br) + eps
                insufficient = False
            else:
                insufficient = True
        else:
            insufficient = False
        f_new, gtd_new = at(t)
        ls_iter += 1
        if f_new > f0 + c1 * t * gtd0 or f_new >= br_f[low]:
            br[high], br_f[high], br_gtd[high] = t, f_new, gtd_new
            low, high = (0, 1) if br_f[0] <= br_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd0:
                done = True
            elif gtd_new * (br[high] - br[low]) >= 0:
                br[high], br_f[high], br_gtd[high] = br[low], br_f[low], br_gtd[low]
            br[low], br_f[low], br_gtd[low] = t, f_new, gtd_new
    return br[low]
