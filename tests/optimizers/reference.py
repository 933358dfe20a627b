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
