"""Statistical checks of a filled weight: tolerances from the sample size, not from tuning.

For n iid draws with standard deviation s and kurtosis k (3 for a normal, 1.8 for a uniform):

    se(sample std) / s ~ sqrt((k - 1) / (4 n))        se(sample mean) = s / sqrt(n)
    se(sample kurtosis) ~ sqrt(24 / n)                 (normal draws)

Every check allows SE = 6 standard errors: a false failure about once in 10^9 per check. With the
shapes of _draw.py (n >= 2,000) that is a band of <= 4 % on the std, while the mistakes the bank
holds move it by >= 16 % (Xavier read as 1/sqrt(fan_in)), usually by 40 % or more; a uniform's
kurtosis (1.8) sits >= 17 se below a normal's 3.
"""

import math

import torch

SE = 6
NORMAL, UNIFORM = 3.0, 1.8  # kurtosis


def expect_std(expect, w: torch.Tensor, std: float, kurtosis: float, what: str) -> torch.Tensor:
    """Sample std of w within SE standard errors of `std`, sample mean within SE of 0."""
    x = w.detach().to("cpu", torch.float64).flatten()
    n = x.numel()
    mean, got = x.mean().item(), x.std(unbiased=False).item()
    band = SE * math.sqrt((kurtosis - 1) / (4 * n))
    expect.that(
        abs(got / std - 1) <= band,
        f"the std of the weights is off by a factor {got / std:.3g} ({what})",
        f"expected {std:.4g} ± {band:.1%}, got {got:.4g}",
    )
    expect.that(
        abs(mean) <= SE * std / math.sqrt(n),
        f"the mean of the weights is not 0 ({what})",
        f"mean {mean:.3g}",
    )
    return x


def expect_normal(expect, x: torch.Tensor, what: str) -> None:
    """Sample kurtosis within SE * sqrt(24 / n) of a normal's 3 (a uniform's is 1.8)."""
    z = (x - x.mean()) / x.std(unbiased=False)
    kurt = z.pow(4).mean().item()
    expect.that(
        abs(kurt - NORMAL) <= SE * math.sqrt(24 / x.numel()),
        f"the weights do not look normally distributed ({what})",
        f"kurtosis {kurt:.3g}, a normal's is 3",
    )
