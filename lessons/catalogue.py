"""The lessons: a lecture as a sequence of annotated scenes.

Plain data. Each lesson's scene is a link in the page's own format (what "Copy link" writes),
so the scene a student opens is the scene tests/lessons runs; every "notice" sentence and
every "try" sentence is asserted there on that scene (or on the `try_link` scene). The order
of LESSONS is the order of the lecture: next / previous (PageDown / PageUp) walk it.

Symbols follow the page: η the learning rate, μ momentum, β₁ β₂ Adam's decays, ε the
small constant in a denominator (the notes also write α or ε for the learning rate).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    topic: str
    narrative: str
    notice: tuple[str, ...]
    link: str
    try_next: str | None = None
    try_link: str | None = None  # the scene "try" describes, when it is a change of the scene
    # The page's box (an element id in templates/index.html) of the chart below the plot that the
    # sentences speak of: the page brings it into view when the lesson opens (at 1024x768 it lay
    # below the fold). None: the lesson speaks of what the page shows at its top.
    chart: str | None = None

    @property
    def tab(self) -> str:
        return "mlp" if "tab=mlp" in self.link.split("&") else "paths"

    def describe(self) -> dict:
        return {"id": self.id, "title": self.title, "topic": self.topic, "tab": self.tab,
                "narrative": self.narrative, "notice": list(self.notice), "try_next": self.try_next,
                "try_link": self.try_link, "link": self.link, "chart": self.chart}


TOPICS = (
    "Gradient descent", "Learning rate", "Batch, mini-batch and stochastic gradient descent", "Local minima",
    "Momentum", "Nesterov momentum", "AdaGrad", "RMSProp", "AdaDelta", "Adam", "AMSGrad, Adamax and NAdam",
    "Saddle points", "Plateaus", "Cliffs and gradient clipping", "Learning-rate schedules",
    "Activation functions", "Data preprocessing", "Weight initialization", "Batch normalization",
    "Overfitting and early stopping", "Visualizing the cost function",
)

_REGRESSION = "surface=linear_regression&start=-2.5,-1.5&steps=300"
_CANYON = "surface=canyon&sp=condition:100&start=-9,2.5&steps=300"
_BOWL_NOISE = "surface=quadratic&start=-2.5,2&steps=300&noise=2&seed=0"
_NOISY_SGD = "&run=sgd;lr:0.3"
# The schedule lessons compare with a constant η, which one scene cannot show beside the schedule
# (a scene has one schedule): the comparison is one click away.
_CONSTANT_RATE_TRY = "Switch the schedule off: with a constant η = 0.3 the last 50 points scatter over three times as far."
_RATE_CHART = "lr-box"  # the schedule lessons speak of η per step, drawn under the plot
# An MLP lesson whose sentences about activations speak of the network before its first update
# opens its histograms at epoch 0 (the link's mepoch; without it they show the last epoch).
_AT_INITIALIZATION = "&mepoch=0"
_SPIRAL_DEEP = "tab=mlp&mrun=hidden:64|64|64|64|64|64,epochs:15,samples:300"
# Long enough for the plain network's validation loss to turn back up, and for dropout (which learns
# more slowly) to end ahead of it: at 60 epochs on 100 points dropout still trailed on every curve.
_OVERFITTING = ("tab=mlp&mrun=activation:relu,hidden:128|128,epochs:150,samples:300,noise:0.3,init:he_normal,"
                "optimizer:adam,p.lr:0.01")

_LESSONS = (
    Lesson(
        "gd-bowl", "Gradient descent on a bowl", "Gradient descent",
        "Gradient descent repeats θ ← θ − η∇f(θ). On the bowl f = ½(x² + 4y²) with η = 0.1, each step goes "
        "straight down the slope, and the slope itself tells how far to go.",
        ("Each step is shorter than the one before: the step η∇f shrinks with the slope as the point nears the "
         "minimum.",
         "Every step leaves its point at a right angle to the contour through it: −∇f is perpendicular to the "
         "level set."),
        "surface=quadratic&start=-2.5,2&steps=60&run=sgd;lr:0.1&marks=1",  # a dot per step: the steps shorten
        try_next="Play it step by step (→) and watch the arrow −∇f at each point."),
    Lesson(
        "learning-rate", "Learning rate: too small, good, too large", "Learning rate",
        "The same bowl with three learning rates. Its steepest curvature is λ = 4, and gradient descent on a "
        "quadratic is stable only for η < 2/λ = 0.5.",
        ("Too small (η = 0.02): after 60 steps the point is still far from the minimum (f > 0.1).",
         "Good (η = 0.2): the loss falls below 0.001 within 20 steps.",
         "Too large (η = 0.52 > 0.5): the point jumps across the valley and lands farther out each time; "
         "the path diverges."),
        "surface=quadratic&start=-2.5,2&steps=60&sweep=sgd;0.02|0.2|0.52"),
    Lesson(
        "batch-gd", "Batch gradient descent", "Batch, mini-batch and stochastic gradient descent",
        "Fitting a line h_θ(x) = θ0 + θ1·x to 50 points: the loss J(θ0, θ1) is the mean squared error, and "
        "batch gradient descent computes its gradient on all the data at every step. Each step is exact, and costs a "
        "pass over the whole data set.",
        ("With the full batch the loss goes down at every single step (the loss chart under the plot).",
         "The path runs down the long valley of J and ends at the least-squares fit."),
        _REGRESSION + "&run=sgd;lr:0.1"),
    Lesson(
        "minibatch-gd", "Mini-batch gradient descent", "Batch, mini-batch and stochastic gradient descent",
        "The same fit, but each step uses the gradient of 10 random points only: a noisy estimate of the "
        "full gradient. On large data that is what makes training affordable.",
        ("The loss chart now goes up on some steps (at least one step in ten).",
         "The path ends near the least-squares fit but keeps wandering around it."),
        _REGRESSION + "&batch=10&run=sgd;lr:0.1",
        try_next="Set the mini-batch size to 1: stochastic gradient descent.",
        try_link=_REGRESSION + "&batch=1&run=sgd;lr:0.1"),
    Lesson(
        "stochastic-gd", "Stochastic gradient descent", "Batch, mini-batch and stochastic gradient descent",
        "One data point per step: the cheapest and the noisiest gradient estimate. The notes call this stochastic "
        "gradient descent; mini-batches sit between it and the full batch.",
        ("Over the last 100 steps the points scatter around the fit more widely than with mini-batches of 10.",
         "Almost half of the steps make the loss go up, and yet the path still reaches the neighbourhood of the "
         "fit."),
        _REGRESSION + "&batch=1&run=sgd;lr:0.1",
        try_next="Lower η to 0.02: the scatter shrinks, and the walk takes longer.",
        try_link=_REGRESSION + "&batch=1&run=sgd;lr:0.02"),
    Lesson(
        "local-minima", "Where you start decides", "Local minima",
        "Four basins, one deepest. Gradient descent only ever goes downhill, so it ends in a minimum of the basin "
        "it happens to be in; momentum can roll over a rim.",
        ("From this start SGD and Adam settle in two different local minima, and momentum reaches the global one.",
         "None of them knows it: each ends with a zero gradient."),
        "surface=local_minima&start=-2,-0.5&steps=400&run=sgd;lr:0.3&run=momentum;lr:0.1,momentum:0.9"
        "&run=adam;lr:0.05",
        try_next="Start at (1.5, −0.5) instead: now plain SGD finds the global minimum too.",
        try_link="surface=local_minima&start=1.5,-0.5&steps=400&run=sgd;lr:0.3"),
    Lesson(
        "canyon-momentum", "What happens in the canyon?", "Momentum",
        "A ravine 100 times steeper across than along (condition number κ = 100). Plain gradient descent needs "
        "η < 2/100 to stay stable across, which makes it crawl along; momentum v ← μv + g adds up the "
        "consistent part of the gradient.",
        ("SGD zig-zags across the floor: its step across the ravine changes sign at least 8 times in the first 30 "
         "steps.",
         "Momentum reaches f < 0.001 in well under half the steps SGD needs."),
        _CANYON + "&run=sgd;lr:0.019&run=momentum;lr:0.01,momentum:0.9"),
    Lesson(
        "nesterov", "Nesterov's look-ahead", "Nesterov momentum",
        "Nesterov momentum takes the gradient where the velocity is about to carry the point, θ + μv, and so "
        "corrects the velocity before it overshoots. Same η, same μ, one extra look ahead.",
        ("With the same η and μ, Nesterov reaches f < 0.001 at least three times sooner than momentum (see the "
         "loss chart).",
         "Across the ravine, Nesterov's swing has died out after 10 steps (|y| < 0.01), while momentum's still "
         "reaches more than 1."),
        _CANYON + "&run=momentum;lr:0.01,momentum:0.9&run=nesterov;lr:0.01,momentum:0.9"),
    Lesson(
        "adagrad", "AdaGrad's shrinking steps", "AdaGrad",
        "AdaGrad divides each step by the root of the sum of all past squared gradients, h ← h + g⊙g. Steep "
        "coordinates slow down at once, but h never forgets, so every step keeps shrinking.",
        ("The accumulator h only grows, so the effective learning rate η/√h falls at every step.",
         "After 300 steps AdaGrad has stalled well short of the minimum: its steps are under 0.01 long while f "
         "is still above 1."),
        "surface=canyon&sp=condition:10&start=-9,2.5&steps=300&run=adagrad;lr:0.3"),
    Lesson(
        "rmsprop", "RMSProp's fix", "RMSProp",
        "RMSProp replaces AdaGrad's sum by a leaky average, h ← ρh + (1 − ρ)g⊙g, so old gradients are forgotten "
        "and the step does not die out. ρ = 0.99 (α in torch) remembers about the last 100 steps.",
        ("In the same scene where AdaGrad stalls, RMSProp reaches f < 0.001.",
         "RMSProp's accumulator goes down as well as up: it follows the recent gradients."),
        "surface=canyon&sp=condition:10&start=-9,2.5&steps=300&run=adagrad;lr:0.3&run=rmsprop;lr:0.05"),
    Lesson(
        "adadelta", "AdaDelta: no learning rate", "AdaDelta",
        "AdaDelta scales each step by the ratio of two running RMS values, of past steps and of past gradients, "
        "so the step has the units of θ and η stays at 1. What sets its pace instead is ε.",
        ("The first step moves each coordinate by about √(ε/(1 − ρ)) ≈ 0.003, whatever the size of the gradient.",
         "With η = 1 and torch's ε = 10⁻⁶ it still gets there: f < 0.001 by step 700."),
        "surface=quadratic&start=-2.5,2&steps=1000&run=adadelta;lr:1",
        try_next="Raise ε to 0.001: the minimum is reached in under 100 steps.",
        try_link="surface=quadratic&start=-2.5,2&steps=1000&run=adadelta;lr:1,eps:0.001"),
    Lesson(
        "adam-first-step", "What happens at Adam's first step?", "Adam",
        "Adam keeps two running averages, m of the gradient and v of its square, both started at zero. Dividing "
        "them by 1 − β₁ᵗ and 1 − β₂ᵗ (bias correction) undoes that start, so the first step is m̂/√v̂ = g/|g|.",
        ("The first step moves each coordinate by η = 0.05 exactly (up to ε), however steep the start is.",
         "Later steps are shorter than η wherever the gradient changes direction, as in Rosenbrock's curved "
         "valley."),
        "surface=rosenbrock&start=-1.5,2&steps=500&run=adam;lr:0.05",
        try_next="Switch bias correction off: the first step grows to (1 − β₁)/√(1 − β₂) ≈ 3.2 times η, because "
                 "m starts 10 times too small and √v about 32 times too small.",
        try_link="surface=rosenbrock&start=-1.5,2&steps=500&run=adam;lr:0.05,bias_correction:0"),
    Lesson(
        "adam-family", "AMSGrad, Adamax and NAdam", "AMSGrad, Adamax and NAdam",
        "Three variants of Adam: AMSGrad divides by the running maximum of v, Adamax by a decaying maximum of |g| "
        "(the infinity norm), and NAdam adds Nesterov's look-ahead to the first moment. Rosenbrock's curved valley "
        "tells them apart.",
        ("AMSGrad's running maximum of v never decreases, so its denominator never shrinks.",
         "Adamax's denominator u is never smaller than the current |g|.",
         "NAdam ends closest to Rosenbrock's minimum (1, 1) of the four."),
        "surface=rosenbrock&start=-1.5,2&steps=500&run=adam;lr:0.05&run=amsgrad;lr:0.05&run=adamax;lr:0.05"
        "&run=nadam;lr:0.05"),
    Lesson(
        "saddle", "Saddle points", "Saddle points",
        "At a saddle the gradient vanishes although the point is no minimum: f curves up in one direction and "
        "down in another. Here the path starts almost on the ridge that leads into the saddle at the origin.",
        ("SGD lingers: it spends at least a quarter of its steps within 0.3 of the saddle before it escapes to a "
         "minimum.",
         "Newton's method jumps straight into the saddle and stops there: it looks for any zero of the gradient, "
         "not for a minimum."),
        "surface=saddle&start=0.0001,1.8&steps=200&run=sgd;lr:0.1&run=newton;lr:1",
        try_next="Add gradient noise (σ = 0.1): SGD escapes the saddle sooner.",
        try_link="surface=saddle&start=0.0001,1.8&steps=200&noise=0.1&seed=1&run=sgd;lr:0.1"),
    Lesson(
        "plateau", "Plateaus", "Plateaus",
        "Far from its basin the surface is almost flat. A plain gradient step is η times a tiny slope, while "
        "adaptive methods divide the slope by its own size.",
        ("In 400 steps SGD moves less than 0.1 across the plain.",
         "RMSProp and Adam reach the basin floor (f < 0.001) within 40 steps."),
        "surface=plateau&start=3.8,3.8&steps=400&run=sgd;lr:1&run=rmsprop;lr:0.05&run=adam;lr:0.1"),
    Lesson(
        "cliff", "Cliffs and gradient clipping", "Cliffs and gradient clipping",
        "A gentle slope ends at a sheer drop where the gradient is about 100 times larger. Gradient descent "
        "takes one step of η times that gradient.",
        ("At the wall a single step is more than 20 times longer than a typical one and throws the point out "
         "of the plot.",),
        "surface=cliff&start=-4,1.5&steps=150&run=sgd;lr:1",
        try_next="Clip the gradient's norm to 1: the step at the wall is at most η·1 and the path stays in the "
                 "plot.",
        try_link="surface=cliff&start=-4,1.5&steps=150&clip=1&run=sgd;lr:1"),
    Lesson(
        "schedule-step", "Step decay", "Learning-rate schedules",
        "With noisy gradients a constant η keeps the point bouncing around the minimum at a distance set by η. "
        "Step decay halves η every 50 steps.",
        ("The learning rate is halved at steps 50, 100, 150, …",
         "The last 50 points scatter less than a third as far from the minimum as with a constant η."),
        _BOWL_NOISE + "&sched=step;drop:0.5,every:50" + _NOISY_SGD,
        try_next=_CONSTANT_RATE_TRY, try_link=_BOWL_NOISE + _NOISY_SGD, chart=_RATE_CHART),
    Lesson(
        "schedule-exponential", "Exponential and 1/t decay", "Learning-rate schedules",
        "Exponential decay multiplies η by the same factor every step, ηₜ = η₀·e^(−kt); 1/t decay divides it, "
        "ηₜ = η₀/(1 + kt), and so keeps larger steps for longer. Both shrink the noise ball around the minimum.",
        ("With k = 0.02, η has fallen to e⁻⁶ ≈ 0.25 % of its start by the last step.",
         "The last 50 points scatter less than half as far from the minimum as with a constant η."),
        _BOWL_NOISE + "&sched=exponential;k:0.02" + _NOISY_SGD,
        try_next="Switch to 1/t decay with the same k: η falls more slowly at every step, and after 300 steps it "
                 "is still η₀/7.",
        try_link=_BOWL_NOISE + "&sched=inverse_time;k:0.02" + _NOISY_SGD, chart=_RATE_CHART),
    Lesson(
        "schedule-linear", "Linear decay to a floor", "Learning-rate schedules",
        "The notes' schedule: εₖ = (1 − α)ε₀ + αε_τ with α = k/τ, a straight line from ε₀ down to a floor ε_τ "
        "reached at step τ and kept afterwards. The floor keeps the steps from vanishing altogether.",
        ("η falls in a straight line for τ = 200 steps and stays at 1 % of its start afterwards.",
         "The last 50 points scatter less than a third as far from the minimum as with a constant η."),
        _BOWL_NOISE + "&sched=linear;tau:200,final_fraction:0.01" + _NOISY_SGD,
        try_next=_CONSTANT_RATE_TRY, try_link=_BOWL_NOISE + _NOISY_SGD, chart=_RATE_CHART),
    # ---- the MLP tab ----------------------------------------------------------------------------
    Lesson(
        "sigmoid-vanishing", "Sigmoid: vanishing gradients", "Activation functions",
        "Backpropagation multiplies, layer by layer, by the activation's slope. The sigmoid's slope is at most "
        "1/4, so in a deep network the gradient shrinks on its way back to the first layers.",
        ("At initialization the first layer's gradient is less than 1 % of the last layer's.",
         "In 15 epochs the sigmoid network's training loss falls by less than 10 %, while the same network with "
         "ReLU and He initialization passes 90 % accuracy."),
        "tab=mlp&mrun=activation:sigmoid,hidden:32|32|32|32|32,epochs:15,samples:300"
        "&mrun=activation:relu,init:he_normal,hidden:32|32|32|32|32,epochs:15,samples:300"),
    Lesson(
        "dead-relu", "Dead ReLUs", "Activation functions",
        "A ReLU unit whose input is negative for every example outputs 0 and gets no gradient, so nothing can "
        "bring it back. A learning rate that is too large knocks many units into that state.",
        ("With η = 0.5 and μ = 0.9, more than 90 % of the units in layers 2 and 3 are dead after 15 epochs.",
         "With so few live units the network is stuck: training accuracy stays below 60 %."),
        "tab=mlp&mrun=activation:relu,init:he_normal,hidden:32|32|32,epochs:15,samples:300,p.lr:0.5,p.momentum:0.9",
        try_next="Lower η to 0.05: fewer than a third of the units die and the network fits the spiral.",
        try_link="tab=mlp&mrun=activation:relu,init:he_normal,hidden:32|32|32,epochs:15,samples:300,p.lr:0.05,"
                 "p.momentum:0.9"),
    Lesson(
        "leaky-relu", "Leaky ReLU", "Activation functions",
        "Leaky ReLU, max(0.1x, x), keeps a slope of 0.1 for negative inputs. A unit can be switched off for "
        "every example and still receive a gradient.",
        ("With Adam at η = 0.05, ReLU ends with more than half of layer 2's units dead.",
         "Every leaky ReLU unit still gets a gradient at the end of training: none of them can die."),
        "tab=mlp&mrun=activation:relu,init:he_normal,hidden:32|32|32,epochs:15,samples:300,optimizer:adam,p.lr:0.05"
        "&mrun=activation:leaky_relu,init:he_normal,hidden:32|32|32,epochs:15,samples:300,optimizer:adam,p.lr:0.05"),
    Lesson(
        "standardization", "Inputs on different scales", "Data preprocessing",
        "Height in metres and weight in kilograms: the weight is about 40 times larger, so the first layer sees "
        "almost nothing but the weight. Standardizing each input to mean 0 and standard deviation 1 fixes that.",
        ("On the raw inputs most of the first layer's tanh units start saturated; standardized, none are.",
         "Standardized, the network passes 95 % validation accuracy in 15 epochs; on the raw inputs it stays "
         "near chance."),
        "tab=mlp&mrun=dataset:unscaled,standardize:0,classes:2,epochs:15&mrun=dataset:unscaled,classes:2,epochs:15"
        + _AT_INITIALIZATION),
    Lesson(
        "init-too-small", "Weights too small: N(0, 0.01)", "Weight initialization",
        "Six tanh layers of 64 units, weights drawn from N(0, 0.01²). Each layer multiplies its input's spread by "
        "about 0.01·√64 = 0.08.",
        ("At initialization the activations' spread shrinks layer after layer, more than 5 times per layer, to "
         "almost nothing in layer 6.",
         "The gradients are below 10⁻⁵, and the loss stays at ln 3 ≈ 1.099 (a uniform guess among 3 classes) "
         "for all 15 epochs."),
        _SPIRAL_DEEP + ",init:normal_0.01" + _AT_INITIALIZATION),
    Lesson(
        "init-too-large", "Weights too large: N(0, 1)", "Weight initialization",
        "The same network with weights from N(0, 1): each unit sums 64 inputs of weight about 1, so tanh is "
        "pushed to its flat ends at ±1, where its slope is almost 0. Saturated units pass almost no gradient back.",
        ("At initialization more than half of the units in layers 2 to 6 are saturated.",
         "The first loss is more than 3 times ln 3, and after 15 epochs its accuracy is still more than 20 "
         "points behind the same network with Xavier initialization."),
        _SPIRAL_DEEP + ",init:normal_1" + "&mrun=" + _SPIRAL_DEEP.split("mrun=")[1] + _AT_INITIALIZATION),
    Lesson(
        "symmetry", "What if all weights are the same?", "Weight initialization",
        "Start every weight at the same value, 1/D_in. Then every unit of a layer computes the same output and "
        "receives the same gradient, so one update keeps them equal, and so does the next.",
        ("After 20 epochs all 32 units of each hidden layer still have exactly the same weights: each layer "
         "computes one function 32 times.",
         "With its width wasted, the network's training accuracy never passes 60 %, while the same network "
         "with Xavier's random weights passes 90 %."),
        "tab=mlp&mrun=init:constant,epochs:20,samples:300&mrun=epochs:20,samples:300"),
    Lesson(
        "xavier-he", "Xavier for tanh, He for ReLU", "Weight initialization",
        "Xavier initialization draws weights with variance 2/(D_in + D_out), which is 1/D_in for a square layer "
        "(lecture slides often write 1/√D_in: that is the standard deviation). He initialization doubles it to "
        "2/D_in, because ReLU zeroes half of its inputs.",
        ("With tanh and Xavier (the run shown first), every layer's activations keep their spread (a standard "
         "deviation between 0.1 and 0.3 in all six layers).",
         "Pick “ReLU · Xavier” in the run menu: it loses spread at every layer (layer 6 has less than a fifth of "
         "layer 1's); “ReLU · He” keeps at least half of it."),
        _SPIRAL_DEEP + "&mrun=" + _SPIRAL_DEEP.split("mrun=")[1] + ",activation:relu"
        + "&mrun=" + _SPIRAL_DEEP.split("mrun=")[1] + ",activation:relu,init:he_normal" + _AT_INITIALIZATION),
    Lesson(
        "batchnorm", "Batch normalization", "Batch normalization",
        "BatchNorm standardizes every unit's input over the mini-batch, then scales and shifts it by learned γ "
        "and β. Whatever the weights' scale, each layer sees inputs of mean 0 and variance 1.",
        ("With N(0, 0.01) weights and BatchNorm (the run shown), all six layers have a healthy spread at "
         "initialization; pick “BatchNorm off” in the run menu: without it the spread collapses.",
         "With BatchNorm the network passes 80 % training accuracy in 15 epochs; without, it stays at chance."),
        _SPIRAL_DEEP + ",init:normal_0.01&mrun=" + _SPIRAL_DEEP.split("mrun=")[1] + ",init:normal_0.01,batchnorm:1"
        + _AT_INITIALIZATION + "&msel=1"),
    Lesson(
        "overfitting", "Overfitting, dropout and early stopping", "Overfitting and early stopping",
        "300 noisy points and two layers of 128 ReLU units: far more parameters than data. The network can learn "
        "the noise by heart, which the validation set (the dashed curves) reveals.",
        ("Without dropout the training accuracy passes 95 % while validation accuracy ends at least 10 points "
         "lower; the validation loss is lowest by epoch 40, then climbs to more than 1.5 times that.",
         "Dropout (p = 0.5) closes the gap to a few points: its validation loss ends lower and its validation "
         "accuracy higher than without."),
        _OVERFITTING + "&mrun=" + _OVERFITTING.split("mrun=")[1] + ",dropout:0.5",
        try_next="Turn on early stopping with patience 10: training stops 10 epochs after the best validation loss.",
        try_link=_OVERFITTING + ",patience:10"),
    Lesson(
        "loss-slice", "The cost along a random direction", "Visualizing the cost function",
        "A network has thousands of parameters, so J(θ) cannot be drawn. The notes' trick: pick a random "
        "direction θ1 and plot J(θ + a·θ1) against a. Here θ is the trained network, and θ1 is scaled unit by "
        "unit to the size of the weights (Li et al. 2018), so a = 1 is a step as large as the weights.",
        ("The trained weights sit at the bottom of the slice: at a = 0 the loss is within 0.02 of its lowest "
         "value on the curve.",
         "A step as large as the weights in a random direction (a = ±1) makes the training loss more than 10 "
         "times larger."),
        "tab=mlp&mrun=epochs:30,samples:300", chart="mlp-slice-box"),
)

LESSONS: dict[str, Lesson] = {lesson.id: lesson for lesson in _LESSONS}
