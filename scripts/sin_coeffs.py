#!/usr/bin/env python3
"""Near-minimax coefficients for the inline sine (compiler/src/ir/math.rs SIN_COEFFS):
the Chebyshev interpolant of (sin x - x)/x^3 as a polynomial in x^2 on [0, pi^2], computed
with 80-digit decimals, for 6, 7 and 8 coefficients, with the error of each after
rounding to f64. Run: python3 scripts/sin_coeffs.py (standard library only)."""
from decimal import Decimal as D, getcontext
getcontext().prec = 80
PI = D("3.14159265358979323846264338327950288419716939937510582097494459230781640628620899863")
def fact(n):
    r = 1
    for i in range(2, n+1): r *= i
    return r
def h(u):  # sum_{k>=1} (-1)^k u^(k-1)/(2k+1)!
    s = D(0); t = D(1); k = 1
    while True:
        term = (t / fact(2*k+1)) * (1 if k % 2 == 0 else -1)
        s += term
        if abs(term) < D(10) ** -70: break
        t *= u; k += 1
    return s
def cos(x):
    s = D(0); t = D(1); k = 0
    while True:
        term = t / fact(2*k) * (1 if k % 2 == 0 else -1)
        s += term
        if abs(term) < D(10)**-70: break
        t *= x*x; k += 1
    return s
def fit(m):
    a, b = D(0), PI*PI
    n = m + 1
    nodes = [cos(PI * (D(j) + D("0.5")) / n) for j in range(n)]
    us = [(a+b)/2 + (b-a)/2 * y for y in nodes]
    fs = [h(u) for u in us]
    # Chebyshev coefficients c_k = 2/n sum f_j T_k(y_j)
    cs = []
    for k in range(n):
        s = D(0)
        for j in range(n):
            s += fs[j] * cos(PI * k * (D(j) + D("0.5")) / n)
        cs.append(s * 2 / n)
    cs[0] /= 2
    # convert sum c_k T_k(y) to polynomial in y, then y = (2u - (a+b))/(b-a)
    # T polys in y
    T = [[D(1)], [D(0), D(1)]]
    for k in range(2, n):
        prev, prev2 = T[k-1], T[k-2]
        t = [D(0)] + [2*c for c in prev]
        for i, c in enumerate(prev2): t[i] -= c
        T.append(t)
    py = [D(0)] * n
    for k in range(n):
        for i, c in enumerate(T[k]): py[i] += cs[k] * c
    # y = alpha*u + beta
    alpha = 2/(b-a); beta = -(a+b)/(b-a)
    pu = [D(0)] * n
    # expand (alpha u + beta)^i
    for i, c in enumerate(py):
        # binomial
        for j in range(i+1):
            binom = fact(i) // (fact(j) * fact(i-j))
            pu[j] += c * binom * (alpha**j) * (beta**(i-j))
    return pu
import sys
for m in [5, 6, 7]:
    pu = fit(m)
    cf = [float(c) for c in pu]
    # error of sin over x in [0, pi] with the f64-rounded coefficients evaluated in Decimal
    worst = D(0)
    N = 2000
    for i in range(N+1):
        x = PI * i / N
        u = x*x
        p = D(cf[-1])
        for c in reversed(cf[:-1]): p = p*u + D(c)
        approx = x + x*u*p
        exact = x + x*u*h(u)
        worst = max(worst, abs(approx - exact))
    print(m, "coeffs", len(cf), "max err", float(worst))
    print("   ", [repr(c) for c in cf])
