"""Read a synthetic archive with astropy and recompute its truth independently; print JSON.

Usage: /usr/bin/python3 astropy_check.py ARCHIVE_DIR

For every event file: selected header values, column formats/dtypes, the quality checks (§3.2),
and the region counts of the original's selection rules, recomputed with numpy from the header
keywords (COS §6.3/6.4) or from the x1d and BPIXTAB (STIS §7.1, 7.3, 7.4; and the corrected per-order
regions with their 1/(P*L)-weighted sums). For reference files:
that each science file's FLUXTAB/TDSTAB rows resolve and flats enlarge to 2048 x 2048.
"""
import glob
import json
import os
import sys

import numpy as np
from astropy.io import fits

AIRGLOW = [(1208.0, 1225.0), (1298.0, 1312.0)]
SDQ_KEYS = ("SDQFLAGS",)


def ref_path(root, value):
    env, name = value.split("$")
    return os.path.join(root, "ref", env, name)


def selection(x, y, w, dq, sdq, xlim, ylim, wlim):
    in_box = (x >= xlim[0]) & (x < xlim[1]) & (y >= ylim[0]) & (y < ylim[1])
    wl_ok = (w > wlim[0]) & (w < wlim[1])
    ag = np.zeros(len(w), dtype=bool)
    for lo, hi in AIRGLOW:
        ag |= (w >= lo) & (w <= hi)
    dq_ok = (dq.astype(np.int64) & sdq) == 0
    return {
        "selected": int(np.sum(in_box & dq_ok & wl_ok & ~ag)),
        "in_box": int(np.sum(in_box)),
        "dq_rejected": int(np.sum(in_box & ~dq_ok & wl_ok & ~ag)),
        "airglow_rejected": int(np.sum(in_box & dq_ok & wl_ok & ag)),
        "wavelength_rejected": int(np.sum(in_box & dq_ok & ~wl_ok)),
    }


def checks(time, expflag, exptime, proposid, bad_proposals):
    n = len(time)
    if n == 0:
        linear = "error"
    else:
        linear = "fail" if np.any(~(time[1:] >= time[:-1])) else "pass"
    return {
        "expflag": "pass" if expflag == "NORMAL" else "fail",
        "linear": linear,
        "no_events": "fail" if n == 0 else "pass",
        "not_singular": "fail" if len(set(time.tolist())) == 1 else "pass",
        "bad_proposal": "fail" if proposid in bad_proposals else "pass",
        "exptime": "fail" if exptime < 1 else "pass",
    }


def cos_regions(h0, h1, data):
    imaging = h0["OBSTYPE"] == "IMAGING"
    detector = h0["DETECTOR"]
    if detector == "FUV":
        letters = [h0["SEGMENT"][-1]]
    else:
        letters = ["A", "B", "C"]
    xlim = (0, 1024) if imaging else (0, 16384)
    wlim = (-1, 1) if imaging else ((915, 1800) if detector == "FUV" else (915, 3200))
    sdq = int(h1["SDQFLAGS"])
    x, y, w, dq = data["XCORR"], data["YCORR"], data["WAVELENGTH"], data["DQ"]
    out = []
    for s in letters:
        def rows(c, hgt):
            return [float(c - hgt // 2), float(c + hgt // 2)]

        boxes = [
            ("spectrum", [0.0, 512.0] if imaging else rows(h1["SP_LOC_" + s], h1["SP_HGT_" + s])),
            ("background1", rows(h1["B_BKG1_" + s], h1["B_HGT1_" + s])),
            ("background2", rows(h1["B_BKG2_" + s], h1["B_HGT2_" + s])),
        ]
        for name, yl in boxes:
            r = selection(x, y, w, dq, sdq, xlim, yl, wlim)
            r.update({"letter": s, "name": name, "y": yl})
            out.append(r)
    return out


def enlarge(img):
    ny, nx = img.shape
    return np.repeat(np.repeat(img, 2048 // ny, axis=0), 2048 // nx, axis=1)


def stis_region(root, h0, h1, data, x1d_path):
    axis1 = data["AXIS1"].astype(np.int64)
    axis2 = data["AXIS2"].astype(np.int64)
    x1d = fits.open(x1d_path)[1].data
    # §7.1 wavelength per event
    pix = np.clip(np.round(axis1).astype(np.int32), 0, 2047) // 2
    if h0["OPT_ELEM"].startswith("E"):
        wave = np.zeros(len(axis1))
        offset = h1["SHIFTA2"]
        for order in x1d:
            centre = order["A2CENTER"] + offset
            half = order["EXTRSIZE"]
            m = (axis2 > centre - half) & (axis2 < centre + half)
            wave[m] = order["WAVELENGTH"][pix[m]]
    else:
        wave = x1d[0]["WAVELENGTH"][pix]
    # §7.3 DQ from BPIXTAB
    img = np.zeros((1024, 1024), dtype=np.int32)
    for r in fits.open(ref_path(root, h0["BPIXTAB"]))[1].data:
        x, y, n = r["PIX1"] - 1, r["PIX2"] - 1, r["LENGTH"]
        if r["AXIS"] == 1:
            img[y, x:x + n] |= r["VALUE"]
        elif r["AXIS"] == 2:
            img[y:y + n, x] |= r["VALUE"]
    big = enlarge(img)
    xi, yi = axis1 - 1, axis2 - 1
    inside = (xi >= 0) & (xi < 2048) & (yi >= 0) & (yi < 2048)
    dq = np.zeros(len(axis1), dtype=np.int64)
    dq[inside] = big[yi[inside], xi[inside]]
    r = selection(axis1, axis2, wave, dq, int(h1["SDQFLAGS"]), (0, 2048), (0, 2048), (2, 10000))
    r.update({"letter": None, "name": "detector", "y": [0, 2048]})
    # §7.2 flats must enlarge to the MAMA grid
    flats = {}
    eps = np.ones(len(axis1))
    for key in ("PFLTFILE", "LFLTFILE"):
        f = fits.open(ref_path(root, h0[key]))
        flat = enlarge(f[1].data)
        flats[key] = list(flat.shape)
        eps[inside] *= flat[yi[inside], xi[inside]].astype(np.float64)
    # §7.4 corrected: per x1d order the box and backgrounds on the 2048-row grid, that order's
    # wavelengths, events weighted 1/(P*L)
    eps = np.where(eps == 0, 0, 1 / eps)
    corrected = []
    shift = float(h1["SHIFTA2"])
    for order in x1d:
        c = 2 * (float(order["A2CENTER"]) + shift)
        w = order["WAVELENGTH"][pix]
        for name, centre, half in (
            ("spectrum", c, float(order["EXTRSIZE"])),
            ("background1", c + 2 * float(order["BK1OFFST"]), float(order["BK1SIZE"])),
            ("background2", c + 2 * float(order["BK2OFFST"]), float(order["BK2SIZE"])),
        ):
            ylim = (centre - half, centre + half)
            cr = selection(axis1, axis2, w, dq, int(h1["SDQFLAGS"]), (0, 2048), ylim, (2, 10000))
            sel = (axis1 >= 0) & (axis1 < 2048) & (axis2 >= ylim[0]) & (axis2 < ylim[1]) & ((dq & int(h1["SDQFLAGS"])) == 0) & (w > 2) & (w < 10000)
            for lo, hi in AIRGLOW:
                sel &= ~((w >= lo) & (w <= hi))
            cr.update({"sporder": int(order["SPORDER"]), "name": name, "y": list(ylim), "weighted": float(np.sum(eps[sel]))})
            corrected.append(cr)
    return [r], flats, corrected


def fluxtab_rows(root, h0):
    if h0.get("FLUXTAB", "N/A") in ("N/A", ""):
        return None
    d = fits.open(ref_path(root, h0["FLUXTAB"]))[1].data
    m = (d["SEGMENT"] == h0["SEGMENT"]) & (d["OPT_ELEM"] == h0["OPT_ELEM"]) & (d["CENWAVE"] == h0["CENWAVE"]) & (d["APERTURE"] == h0["APERTURE"])
    return int(np.sum(m))


def tds_info(root, h0, h1, data):
    if h0.get("TDSTAB", "N/A") in ("N/A", ""):
        return None
    f = fits.open(ref_path(root, h0["TDSTAB"]))
    d = f[1].data
    m = (d["OPT_ELEM"] == h0["OPT_ELEM"]) & (d["APERTURE"] == h0["APERTURE"]) & (d["SEGMENT"] == h0["SEGMENT"])
    info = {"rows": int(np.sum(m)), "ref_time": float(f[1].header["REF_TIME"])}
    if info["rows"] == 1:
        row = d[m][0]
        nt = int(row["NT"])
        times = row["TIME"][:nt]
        info["time_before_expstart"] = bool(np.any(times < h1["EXPSTART"]))
        info["slope_shape"] = list(row["SLOPE"].shape)
        w = data["WAVELENGTH"]
        wl = row["WAVELENGTH"]
        sel = (w > 915) & (w < 1800)
        info["covers_selected"] = bool(len(w[sel]) == 0 or (w[sel].min() >= wl.min() and w[sel].max() <= wl.max()))
    return info


def main():
    root = sys.argv[1]
    manifest = json.load(open(os.path.join(root, "manifest.json")))
    bad = manifest["bad_proposals"]
    out = {"files": {}, "refs": {}}
    for path in sorted(glob.glob(os.path.join(root, "ingest", "*.fits"))):
        name = os.path.basename(path)
        f = fits.open(path)
        h0 = f[0].header
        entry = {
            "hdus": [
                {
                    "name": h.name,
                    "type": type(h).__name__,
                    "rows": (len(h.data) if h.data is not None else 0) if isinstance(h, fits.BinTableHDU) else None,
                    "columns": [
                        {"name": c.name, "format": c.format, "unit": c.unit, "dim": c.dim}
                        for c in (h.columns if isinstance(h, fits.BinTableHDU) else [])
                    ],
                }
                for h in f
            ],
            "primary": {k: h0.get(k) for k in ("ROOTNAME", "TELESCOP", "INSTRUME", "DETECTOR", "SEGMENT", "OPT_ELEM", "CENWAVE", "APERTURE", "FPPOS", "OBSTYPE", "OBSMODE", "TARGNAME", "PROPOSID", "CAL_VER", "FLUXTAB", "TDSTAB", "CENTRWV", "PFLTFILE", "LFLTFILE", "BPIXTAB", "RA_TARG", "DEC_TARG", "EQUINOX")},
        }
        if name.endswith("_x1d.fits"):
            d = f[1].data
            entry["x1d"] = {"rows": len(d), "sporder": d["SPORDER"].tolist(), "wave_first": float(d["WAVELENGTH"][0][0]), "dtype_wavelength": str(d["WAVELENGTH"].dtype)}
            out["files"][name] = entry
            continue
        h1 = f[1].header
        data = f[1].data
        entry["events"] = {k: h1.get(k) for k in ("EXPSTART", "EXPEND", "EXPTIME", "EXPFLAG", "NEVENTS", "SDQFLAGS", "SHIFTA2")}
        entry["dtypes"] = {c: str(data[c].dtype) for c in data.names}
        entry["gti"] = [[float(a), float(b)] for a, b in zip(f[2].data["START"], f[2].data["STOP"])]
        t = np.asarray(data["TIME"], dtype=np.float64)
        entry["checks"] = checks(t, h1["EXPFLAG"], h1["EXPTIME"], h0["PROPOSID"], bad)
        entry["time_range"] = [float(t.min()), float(t.max())] if len(t) else None
        if h0["INSTRUME"] == "COS":
            entry["regions"] = cos_regions(h0, h1, data)
            entry["fluxtab_rows"] = fluxtab_rows(root, h0)
            entry["tds"] = tds_info(root, h0, h1, data)
            entry["wavelength_sum"] = float(np.sum(data["WAVELENGTH"].astype(np.float64)))
            entry["epsilon_sum"] = float(np.sum(data["EPSILON"].astype(np.float64)))
        else:
            regions, flats, corrected = stis_region(root, h0, h1, data, path.replace("_tag.fits", "_x1d.fits"))
            entry["regions"] = regions
            entry["flats"] = flats
            entry["corrected_regions"] = corrected
        out["files"][name] = entry
    for path in sorted(glob.glob(os.path.join(root, "ref", "*", "*.fits"))):
        f = fits.open(path)
        out["refs"][os.path.basename(path)] = [
            {"name": h.name, "type": type(h).__name__, "shape": list(h.data.shape) if h.data is not None else None} for h in f
        ]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
