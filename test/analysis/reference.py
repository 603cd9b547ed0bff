"""Reference numerics for test/analysis: scipy and astropy computed at test time (Debian's python3).

Usage: python3 reference.py COMMAND < request.json > response.json
  pearsonr     {"cases": [{"x": [...], "y": [...]}]}           -> [{"r": r, "p": p}]
  pvalue       {"cases": [[r, n], ...]}                         -> [p]   (scipy's beta null distribution)
  lombscargle  {"t": [...], "y": [...], "omega": [...]}         -> [power] (scipy.signal.lombscargle)
  astropy_ls   {"t": [...], "y": [...], "f": [...], "z": z, "fmax": f}
               -> {"power": [...], "fap": p, "fmax": f_used}  (fit_mean=False, center_data=True, 'standard', Baluev FAP)
Non-finite floats are written as null.
"""
import json
import math
import sys
import warnings

import numpy as np

warnings.simplefilter("ignore")


def clean(v):
    v = float(v)
    return v if math.isfinite(v) else None


def main():
    cmd = sys.argv[1]
    req = json.load(sys.stdin)
    if cmd == "pearsonr":
        from scipy import stats
        out = []
        for c in req["cases"]:
            x = np.asarray(c["x"], dtype=np.float64)
            y = np.asarray(c["y"], dtype=np.float64)
            if c.get("y32"):
                y = y.astype(np.float32)
            res = stats.pearsonr(x, y)
            out.append({"r": clean(res[0]), "p": clean(res[1])})
    elif cmd == "pvalue":
        from scipy import stats
        out = []
        for r, n in req["cases"]:
            ab = n / 2 - 1
            out.append(clean(2 * stats.beta(ab, ab, loc=-1, scale=2).sf(abs(r))))
    elif cmd == "lombscargle":
        from scipy import signal
        t = np.asarray(req["t"], dtype=np.float64)
        y = np.asarray(req["y"], dtype=np.float64)
        w = np.asarray(req["omega"], dtype=np.float64)
        out = [clean(v) for v in signal.lombscargle(t, y, w)]
    elif cmd == "astropy_ls":
        from astropy.timeseries import LombScargle
        # Times relative to the first: astropy's Var(t) = <t²> − <t>² loses ~2 digits at t ≈ 5e4 d;
        # the power and the FAP do not depend on the origin.
        t = np.asarray(req["t"], dtype=np.float64)
        t = t - t[0]
        y = np.asarray(req["y"], dtype=np.float64)
        ls = LombScargle(t, y, fit_mean=False, center_data=True, normalization="standard")
        power = ls.power(np.asarray(req["f"], dtype=np.float64), method="slow")
        fap = ls.false_alarm_probability(req["z"], method="baluev", maximum_frequency=req["fmax"])
        # astropy snaps fmax to its autofrequency grid; report the value it used.
        _, fmax = ls.autofrequency(maximum_frequency=req["fmax"], return_freq_limits=True)
        out = {"power": [clean(v) for v in power], "fap": clean(fap), "fmax": float(fmax)}
    else:
        raise SystemExit(f"unknown command {cmd}")
    json.dump(out, sys.stdout)


main()
