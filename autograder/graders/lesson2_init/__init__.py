"""Hidden graders for lesson 2: normalisation, fans, gains, Kaiming and Xavier initialisation.

    test_normalize.py         (x - mean) / std with the statistics given, x unchanged
    test_calc_fans.py         (fan_in, fan_out) of Linear and Conv weights, as torch counts them
    test_gain.py              gain(a) = sqrt(2 / (1 + a^2)), a float
    test_kaiming_normal.py    N(0, (gain(a) / sqrt(fan))^2), the fan the mode names
    test_kaiming_uniform.py   U(-bound, bound), bound = sqrt(3) gain(a) / sqrt(fan)
    test_xavier_normal.py     N(0, 2 / (fan_in + fan_out))
    test_fillers.py           what every filler keeps: in place, dtype, device, parameters, modes
    test_deep_stack.py        100 layers initialised with kaiming_normal_ keep their scale
    test_rules.py             no torch.nn.init (source and run time)

The weights are filled inside the sandbox by the probe `fill` (autograder/probes/lesson2_init.py,
seeded from the grading seed); the judge reads their statistics here and compares them with the
distribution the formula names, within tolerances derived from the sample size (_stats.py).
"""

LESSON, MODULE = "lesson2_init", "initialization"
