"""Second, independent FITS implementation (astropy) for hstlc's tests.

  fits_reference.py dump FILE...     -> JSON: every HDU's cards, columns and values as astropy reads them,
                                        one document per line for each FILE in turn (one process
                                        for many files: starting Python and astropy costs more than a
                                        small file's dump)
  fits_reference.py checksum FILE    -> JSON: astropy's DATASUM/CHECKSUM computed for every HDU
  fits_reference.py write DIR        -> writes reference files with astropy into DIR, prints their names
"""
import json
import math
import sys
import warnings

import numpy as np
from astropy.io import fits


def plain(v):
    """numpy values to JSON: ints beyond 2^53 as strings, NaN as null, arrays as nested lists."""
    if isinstance(v, np.ndarray):
        return [plain(x) for x in v]
    if isinstance(v, (bytes, np.bytes_)):
        return v.decode('latin1').rstrip()
    if isinstance(v, (str, np.str_)):
        return str(v).rstrip()
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (np.integer, int)):
        i = int(v)
        return i if abs(i) <= 2**53 else str(i)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return None if math.isnan(f) else f
    if isinstance(v, complex) or isinstance(v, np.complexfloating):
        return [float(v.real), float(v.imag)]
    return v


def dump(path):
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        with fits.open(path) as hdul:
            for i, hdu in enumerate(hdul):
                cards = [[c.keyword, plain(c.value) if not isinstance(c.value, fits.card.Undefined) else None, c.comment]
                         for c in hdu.header.cards]
                item = {'index': i, 'name': hdu.name, 'cards': cards}
                if isinstance(hdu, fits.BinTableHDU):
                    cols = {}
                    for col in hdu.columns:
                        data = hdu.data[col.name]
                        if col.format.startswith(('P', 'Q')) or 'P' in col.format or 'Q' in col.format:
                            cols[col.name] = [plain(np.asarray(x)) for x in data]
                        else:
                            cols[col.name] = plain(np.asarray(data))
                    item['columns'] = cols
                    item['dtypes'] = {c.name: str(hdu.data[c.name].dtype) for c in hdu.columns}
                elif hdu.data is not None:
                    item['image'] = plain(np.asarray(hdu.data).ravel())
                    item['dtype'] = str(hdu.data.dtype)
                    item['shape'] = list(hdu.data.shape)
                out.append(item)
    print(json.dumps(out))


def checksum(path):
    out = []
    with fits.open(path) as hdul:
        for hdu in hdul:
            ds = hdu._calculate_datasum()
            out.append({'datasum': str(ds), 'checksum': hdu._calculate_checksum(ds),
                        'stored_checksum': hdu.header.get('CHECKSUM'), 'stored_datasum': hdu.header.get('DATASUM')})
    print(json.dumps(out))


def write(d):
    warnings.simplefilter('ignore')
    rng = np.random.default_rng(7)
    n = 7
    cols = [
        fits.Column(name='TIME', format='1E', unit='s', array=rng.random(n).astype('f4') * 100),
        fits.Column(name='D', format='1D', array=rng.normal(size=n)),
        fits.Column(name='I16', format='1I', array=np.arange(n, dtype='i2') - 3),
        fits.Column(name='J32', format='1J', array=(np.arange(n) * 100000 - 300000).astype('i4')),
        fits.Column(name='K64', format='1K', array=np.array([2**60 + 1, -2**62, 0, 1, -1, 2**53 + 1, 7], dtype='i8')),
        fits.Column(name='U16', format='1I', bzero=32768, array=np.array([0, 1, 65535, 40000, 5, 6, 7], dtype='u2')),
        fits.Column(name='U32', format='1J', bzero=2147483648, array=np.array([0, 1, 4294967295, 3000000000, 5, 6, 7], dtype='u4')),
        fits.Column(name='BYTE', format='1B', array=np.array([0, 1, 255, 128, 5, 6, 7], dtype='u1')),
        fits.Column(name='VEC', format='6E', dim='(3,2)', array=np.arange(n * 6, dtype='f4').reshape(n, 2, 3)),
        fits.Column(name='WAVE', format='4D', array=np.arange(n * 4, dtype='f8').reshape(n, 4) / 3),
        fits.Column(name='NAME', format='8A', array=np.array(['WD0308', "O'Brien", 'x', '', 'HD-209458', 'a b', 'z'])),
        fits.Column(name='FLAG', format='1L', array=np.array([True, False, True, True, False, False, True])),
        fits.Column(name='SCALED', format='1J', array=np.array([0, 1, 2, 3, 4, 5, -7], dtype='i4')),
        fits.Column(name='CPLX', format='1C', array=np.arange(n) + 1j * np.arange(n)),
        fits.Column(name='VLA', format='PE()', array=np.array([np.arange(k, dtype='f4') for k in range(n)], dtype=object)),
    ]
    t = fits.BinTableHDU.from_columns(cols, name='EVENTS')
    t.header['EXPSTART'] = (55501.9692841, 'exposure start time (MJD)')
    t.header['BIGINT'] = 2**62 + 5
    t.header['LONGSTR'] = 'A long string value ' * 8
    t.header['HIERARCH ESO DET CHIP NAME'] = 'chip1'
    t.header['CPLXKEY'] = (1.5 + 2.5j)
    t.header['QUOTED'] = "it's"
    t.header['COMMENT'] = 'a comment card'
    t.header['HISTORY'] = 'a history card'
    p = fits.PrimaryHDU()
    p.header['TARGNAME'] = 'HD-209458'
    p.header['EQUINOX'] = 2000.0
    p.header['DFLOAT'] = 1.5e-300
    img = fits.ImageHDU(data=np.arange(12, dtype='f4').reshape(3, 4), name='SCI')
    uimg = fits.ImageHDU(data=np.array([[0, 65535], [32768, 1]], dtype='u2'), name='UINT')
    i64 = fits.ImageHDU(data=np.array([2**62, -5, 7], dtype='i8'), name='I64')
    hl = fits.HDUList([p, t, img, uimg, i64])
    hl.writeto(f'{d}/astropy_table.fits', checksum=True, overwrite=True)
    # astropy 5.2 cannot write a scaled column from physical values; add the scaling afterwards.
    with fits.open(f'{d}/astropy_table.fits', mode='update', checksum=True) as up:
        k = up[1].columns.names.index('SCALED') + 1
        up[1].header[f'TSCAL{k}'] = 0.5
        up[1].header[f'TZERO{k}'] = 10.0
    with fits.open(f'{d}/astropy_table.fits') as again:
        again.writeto(f'{d}/astropy_table.fits.gz', checksum=True, overwrite=True)
    print(json.dumps(['astropy_table.fits', 'astropy_table.fits.gz']))


if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'dump':
        for path in args:
            dump(path)
    else:
        {'checksum': checksum, 'write': write}[cmd](*args)
