"""Integers beyond CPython's default 4300-digit int/str limit: certificates carry them at extreme magnitudes."""
import subprocess
import sys
from fractions import Fraction


def test_kernel_reads_a_5000_digit_rational():
    from exactmin.certify.kernel import core
    p = int("7" * 5000)
    x = core.q(f"-{p}/3")
    assert x == Fraction(-p, 3) and x.numerator % 10 != 0


def test_kernel_alone_lifts_the_limit_and_keeps_its_cap():
    code = ("import sys; sys.set_int_max_str_digits(4300)\n"
            "from exactmin.certify.kernel import core\n"
            "assert core.q('9' * 6000) == 10**6000 - 1\n"
            "try:\n    core.q('9' * 100001)\nexcept core.Reject:\n    print('capped')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "capped"


def test_library_writes_huge_fractions():
    import exactmin  # noqa: F401  (lifts the limit)
    assert len(str(Fraction(10**5000 + 1, 3))) == 5003
