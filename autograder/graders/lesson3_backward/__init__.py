"""Hidden graders for lesson 3: the backward pass by hand, checked against torch.autograd.

One file per task or task group, each opening with the inputs it draws, the behaviour it
expects and its tolerance. Gradients live on `.g` attributes inside the sandbox, so probes
(autograder/probes/lesson3_backward.py) run the student's backward and return records
(courselib/lesson3_backward.py) of the `.g` it left; every expected gradient is computed here,
in the judge, by torch.autograd on the float64 inputs drawn with `rng` (_grads.py).
"""

LESSON, MODULE = "lesson3_backward", "backward"
