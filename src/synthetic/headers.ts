/**
 * Header cards of synthetic COS and STIS products, modelled on real calcos/calstis output: the
 * primary header (target, proposal, mode, calibration switches, reference files) and the EVENTS
 * header (exposure times, Doppler, SDQFLAGS, extraction regions). Every date derives from the
 * exposure start, never from the clock, so a seed always gives the same bytes.
 */
import type { CardInput } from '../fits/index.js';
import type { CosLetter, CosMode, StisMode } from './modes.js';
import type { ExposurePlan } from './plan.js';
import type { RegionKeywords } from './regions.js';

export const MJD_UNIX_EPOCH = 40587;

export function card(key: string, value: string | number | boolean, comment = '', type?: CardInput['type']): CardInput {
  return type ? { key, value, comment, type } : { key, value, comment };
}

/** A float keyword even when integral (EQUINOX = 2000.0). */
export function fcard(key: string, value: number, comment = ''): CardInput {
  return { key, value, comment, type: 'float' };
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** UTC calendar date and time of an MJD: ['YYYY-MM-DD', 'hh:mm:ss']. */
export function mjdToDateTime(mjd: number): [string, string] {
  const iso = new Date(Math.round((mjd - MJD_UNIX_EPOCH) * 86400) * 1000).toISOString();
  return [iso.slice(0, 10), iso.slice(11, 19)];
}

export interface RefNames {
  fluxtab?: string;
  tdstab?: string;
  bpixtab?: string;
  pfltfile?: string;
  lfltfile?: string;
  phottab?: string;
}

function targetCards(p: ExposurePlan): CardInput[] {
  return [
    card('TARGNAME', p.targname, "proposer's target name"),
    fcard('RA_TARG', round(p.target.ra, 4), 'right ascension of the target (deg) (J2000)'),
    fcard('DEC_TARG', round(p.target.dec, 4), 'declination of the target (deg) (J2000)'),
    card('PROPOSID', p.proposal.id, 'PEP proposal identifier'),
    card('LINENUM', `${String(p.visit).padStart(2, '0')}.${String(p.exposure).padStart(3, '0')}`, 'proposal logsheet line number'),
    card('PR_INV_L', p.proposal.piLast, 'last name of principal investigator'),
    card('PR_INV_F', p.proposal.piFirst, 'first name of principal investigator'),
    card('PR_INV_M', p.proposal.piMiddle, 'middle name / initial of principal investigat'),
    card('TARDESCR', p.target.descr, 'target description'),
  ];
}

function fileHead(p: ExposurePlan, filename: string, nextend: number, instrume: string): CardInput[] {
  const [written] = mjdToDateTime(p.expstart + 1.3);
  return [
    card('NEXTEND', nextend, 'Number of standard extensions'),
    card('DATE', written, 'date this file was written (yyyy-mm-dd)'),
    card('FILENAME', filename, 'name of file'),
    card('FILETYPE', 'SCI', 'type of data found in data file'),
    card('TELESCOP', 'HST', 'telescope used to acquire data'),
    card('INSTRUME', instrume, 'identifier for instrument used to acquire data'),
    fcard('EQUINOX', 2000, 'equinox of celestial coord. system'),
    card('ROOTNAME', p.rootname, 'rootname of the observation set'),
    card('IMAGETYP', 'TIME-TAG', 'type of exposure identifier'),
    card('PRIMESI', instrume, 'instrument designated as prime'),
  ];
}

/** Wavelength coverage keywords of a spectroscopic mode. */
function waveCards(centrwv: number, minwave: number, maxwave: number, specres: number, platesc: number): CardInput[] {
  return [
    fcard('BANDWID', round(maxwave - minwave, 4), 'bandwidth of the data'),
    card('SPECRES', specres, 'approx. resolving power at central wavelength'),
    fcard('CENTRWV', round(centrwv, 4), 'central wavelength of the data'),
    fcard('MINWAVE', round(minwave, 4), 'minimum wavelength in spectrum'),
    fcard('MAXWAVE', round(maxwave, 4), 'maximum wavelength in spectrum'),
    fcard('PLATESC', platesc, 'plate scale (arcsec/pixel)'),
  ];
}

const COS_SWITCHES = [
  'DQICORR', 'RANDCORR', 'TEMPCORR', 'GEOCORR', 'DGEOCORR', 'XWLKCORR', 'YWLKCORR', 'DEADCORR', 'PHACORR', 'DOPPCORR',
  'BRSTCORR', 'BADTCORR', 'FLATCORR', 'WAVECORR', 'X1DCORR', 'BACKCORR', 'FLUXCORR', 'TDSCORR', 'HELCORR',
];
const COS_NUV_OMIT = new Set(['RANDCORR', 'TEMPCORR', 'GEOCORR', 'DGEOCORR', 'XWLKCORR', 'YWLKCORR', 'PHACORR', 'BRSTCORR']);

export interface CosWaveRange {
  min: number;
  max: number;
}

export function cosPrimaryCards(p: ExposurePlan, mode: CosMode, filename: string, segment: string, refs: RefNames, range: CosWaveRange): CardInput[] {
  const fuv = mode.detector === 'FUV';
  const imaging = mode.obstype === 'IMAGING';
  const cards: CardInput[] = [
    ...fileHead(p, filename, 2, 'COS'),
    ...targetCards(p),
    card('OPUS_VER', 'HSTDP 2016_2', 'data processing software system version'),
    card('CSYS_VER', 'hstdp-2016.2', 'Calibration software system version id'),
    card('CAL_VER', '3.1.8', 'CALCOS code version'),
    fcard('PROCTIME', round(p.expstart + 1.3, 6), 'Pipeline processing time (MJD)'),
    card('OBSTYPE', mode.obstype, 'observation type - imaging or spectroscopic'),
    card('OBSMODE', 'TIME-TAG', 'operating mode'),
    card('EXPTYPE', 'EXTERNAL/SCI', 'type of exposure'),
    card('DETECTOR', mode.detector, 'FUV or NUV'),
    card('SEGMENT', segment, 'FUV detector segment name (FUVA, FUVB, or BOTH)'),
    card('LAMPUSED', 'NONE', 'lamp status, NONE or name of lamp which is on'),
    card('LAMPSET', '0.0', 'spectral cal lamp current value (milliamps)'),
    card('OPT_ELEM', mode.optElem, 'optical element in use'),
    card('CENWAVE', mode.cenwave, 'central wavelength of spectrum'),
    card('FPPOS', p.fppos, 'grating offset index (1-4) for FP split'),
    card('FPOFFSET', p.fppos - 3, 'FP offset from nominal, in motor steps'),
    card('APERTURE', p.aperture, 'aperture name'),
    card('PROPAPER', p.aperture, 'proposed aperture name'),
    card('APER_FOV', p.aperture === 'BOA' ? '2.5 arcsec (0.700 mm) diameter circular, ND filter' : '2.5 arcsec (0.700 mm) diameter circular', 'aperture field of view'),
    card('LIFE_ADJ', fuv ? 1 : 2, 'Life Time Adjustment Position'),
    card('TAGFLASH', imaging ? 'NONE' : 'AUTO', 'Type of flashed exposures in time-tag'),
    card('STATFLAG', true, 'Calculate statistics?'),
  ];
  for (const sw of COS_SWITCHES) {
    const omit = (!fuv && COS_NUV_OMIT.has(sw)) || (imaging && ['WAVECORR', 'X1DCORR', 'BACKCORR', 'FLUXCORR', 'TDSCORR', 'HELCORR', 'DOPPCORR'].includes(sw));
    cards.push(card(sw, omit ? 'OMIT' : 'COMPLETE', 'calibration switch'));
  }
  const det = fuv ? 'FUV' : 'NUV';
  cards.push(
    card('BPIXTAB', fuv ? 'lref$z1r1943fl_bpix.fits' : 'lref$y2r1559to_bpix.fits', 'bad pixel table'),
    card('FLATFILE', fuv ? 'lref$v4s17227l_flat.fits' : 'lref$s7g1700gl_flat.fits', 'pixel to pixel flat field file name'),
    card('DEADTAB', fuv ? 'lref$s7g1700gl_dead.fits' : 'lref$s7g1700ql_dead.fits', 'deadtime reference table'),
    card('PHATAB', fuv ? 'lref$wc41559jl_pha.fits' : 'N/A', 'pulse height discrimination table'),
    card('BRSTTAB', fuv ? 'lref$x1u1459il_burst.fits' : 'N/A', 'burst reference table'),
    card('BADTTAB', 'lref$x6l1439el_badt.fits', 'bad time interval reference table'),
    card('XTRACTAB', imaging ? 'N/A' : det === 'FUV' ? 'lref$2bj2256il_1dx.fits' : 'lref$x6q17587l_1dx.fits', '1-D extraction parameters table'),
    card('LAMPTAB', imaging ? 'N/A' : fuv ? 'lref$23n1744ql_lamp.fits' : 'lref$u4m2152ql_lamp.fits', 'template calibration lamp spectra table'),
    card('DISPTAB', imaging ? 'N/A' : fuv ? 'lref$05i1639ml_disp.fits' : 'lref$u1t1616ql_disp.fits', 'dispersion relation reference table'),
    card('FLUXTAB', imaging ? 'N/A' : (refs.fluxtab ?? 'N/A'), 'spectroscopic flux calibration table'),
    card('TDSTAB', imaging ? 'N/A' : (refs.tdstab ?? 'N/A'), 'time dependent sensitivity algorithm table'),
    card('SPWCSTAB', imaging ? 'N/A' : fuv ? 'lref$1bq1627gl_spwcs.fits' : 'lref$x6q1740bl_spwcs.fits', 'spectroscopic WCS parameters table'),
  );
  if (!imaging) cards.push(...waveCards(mode.cenwave, range.min, range.max, mode.specres, mode.platesc));
  else cards.push(fcard('PLATESC', mode.platesc, 'plate scale (arcsec/pixel)'));
  return cards;
}

/** Exposure timing keywords shared by COS and STIS event headers. */
function exposureCards(p: ExposurePlan, expend: number): CardInput[] {
  const [date, time] = mjdToDateTime(p.expstart);
  return [
    card('DATE-OBS', date, 'UT date of start of observation (yyyy-mm-dd)'),
    card('TIME-OBS', time, 'UT time of start of observation (hh:mm:ss)'),
    fcard('EXPSTART', p.expstart, 'exposure start time (Modified Julian Date)'),
    fcard('EXPEND', expend, 'exposure end time (Modified Julian Date)'),
    fcard('EXPTIME', p.exptime, 'exposure duration (seconds)--calculated'),
    card('EXPFLAG', p.expflag, 'Exposure interruption indicator'),
    fcard('EXPSTRTJ', round(p.expstart + 2400000.5, 7), 'start time (JD) of exposure'),
    fcard('EXPENDJ', round(expend + 2400000.5, 7), 'end time (JD) of exposure'),
    fcard('PLANTIME', p.exptime, 'Planned exposure time (seconds)'),
    card('NINTERPT', p.gtis.length - 1, 'Number of Exposure Interrupts'),
  ];
}

export interface DopplerInfo {
  magnitude: number;
  zeroMjd: number;
  period: number;
}

export interface CosEventsInfo {
  mode: CosMode;
  letters: CosLetter[];
  keywords: Partial<Record<CosLetter, RegionKeywords>>;
  shift1: number;
  shift2: number;
  doppler: DopplerInfo;
  nevents: number;
  sdqflags: number;
  expend: number;
  /** Wavelength WCS of the XFULL column (column 7): reference pixel, value, increment. */
  wcs?: { crpix: number; crval: number; cdelt: number; yref: number };
  vHelio: number;
}

export function cosEventsCards(p: ExposurePlan, info: CosEventsInfo): CardInput[] {
  const cards: CardInput[] = [];
  if (info.wcs) {
    cards.push(
      card('TCTYP7', 'WAVE'),
      card('TCUNI7', 'angstrom'),
      fcard('TCRPX7', info.wcs.crpix),
      fcard('TCRVL7', info.wcs.crval),
      fcard('TCDLT7', info.wcs.cdelt),
      card('TCTYP8', 'ANGLE'),
      card('TCUNI8', 'deg'),
      fcard('TCRPX8', info.wcs.yref),
      fcard('TCRVL8', 0),
      fcard('TCDLT8', 2.777778e-5),
    );
  }
  cards.push(
    card('ROOTNAME', p.rootname, 'rootname of the observation set'),
    card('EXPNAME', `${p.rootname.slice(0, 8)}$`, 'exposure identifier'),
    card('ASN_MTYP', 'EXP-FP', 'Role of the Member in the Association'),
    ...exposureCards(p, info.expend),
    fcard('V_HELIO', info.vHelio, 'Geocentric to heliocentric velocity'),
    fcard('ORBITPER', info.doppler.period, 'Orbital Period used on board for Doppler corr.'),
    fcard('DOPPMAG', info.doppler.magnitude, 'Doppler shift magnitude (low-res pixels)'),
    fcard('DOPPMAGV', round(info.doppler.magnitude * 2.3, 4), 'Doppler shift magnitude (Km/sec)'),
    card('DOPPON', info.mode.obstype !== 'IMAGING', 'Doppler correction flag'),
    fcard('DOPPZERO', info.doppler.zeroMjd, 'Commanded time of zero Doppler shift (MJD)'),
    fcard('GLOBRATE', round(p.exptime > 0 ? info.nevents / p.exptime : 0, 3), 'global count rate'),
    card('NEVENTS', info.nevents, 'number of events in the table'),
    card('SDQFLAGS', info.sdqflags, 'serious data quality flags'),
  );
  for (const L of info.letters) cards.push(fcard(`SHIFT1${L}`, info.shift1, `wavecal shift determined spectral strip ${L}(pixel`));
  for (const L of info.letters) cards.push(fcard(`SHIFT2${L}`, info.shift2, `Offset in cross-dispersion direction, ${L} (pixels`));
  for (const L of info.letters) {
    const k = info.keywords[L]!;
    cards.push(
      fcard(`SP_LOC_${L}`, k.spLoc, `location of spectral extraction region ${L}`),
      fcard(`SP_OFF_${L}`, round(k.spLoc - k.spNom, 4), `XD spectrum offset from expected loc (${L})`),
      fcard(`SP_NOM_${L}`, k.spNom, `Expected location of spectrum in XD (${L})`),
      fcard(`SP_SLP_${L}`, 0, `slope of stripe ${L} spectrum`),
      card(`SP_HGT_${L}`, k.spHgt, `height (pixels) of stripe ${L} extraction region`),
    );
  }
  for (const L of info.letters) {
    const k = info.keywords[L]!;
    cards.push(
      card(`B_HGT1_${L}`, k.bHgt1, `height of spectral background 1 stripe ${L}`),
      card(`B_HGT2_${L}`, k.bHgt2, `height of spectral background 2 stripe ${L}`),
      fcard(`B_BKG1_${L}`, k.bkg1, `location of spectral background 1 stripe ${L}`),
      fcard(`B_BKG2_${L}`, k.bkg2, `location of spectral background 2 stripe ${L}`),
    );
  }
  return cards;
}

// ---------------------------------------------------------------------------------------------
// STIS

export function stisPrimaryCards(p: ExposurePlan, mode: StisMode, filename: string, refs: RefNames): CardInput[] {
  const [tdate, ttime] = mjdToDateTime(p.expstart);
  const expend = p.expstart + p.gtis[p.gtis.length - 1][1] / 86400;
  const orders = mode.orders;
  const minwave = Math.min(...orders.map((o) => o.wave0));
  const maxwave = Math.max(...orders.map((o) => o.wave0 + 1023 * o.dwave));
  const cards: CardInput[] = [
    ...fileHead(p, filename, filename.endsWith('_x1d.fits') ? 1 : 2, 'STIS'),
    ...targetCards(p),
    card('OPUS_VER', 'HSTDP 2016_2', 'data processing software system version'),
    card('CAL_VER', '3.4 (13-Nov-2013)', 'CALSTIS code version'),
    fcard('PROCTIME', round(p.expstart + 1.3, 6), 'Pipeline processing time (MJD)'),
    card('OBSTYPE', 'SPECTROSCOPIC', 'observation type - imaging or spectroscopic'),
    card('OBSMODE', 'TIME-TAG', 'operating mode'),
    card('SCLAMP', 'NONE', 'lamp status, NONE or name of lamp which is on'),
    card('NRPTEXP', 1, 'number of repeat exposures in set: default 1'),
    card('SUBARRAY', false, 'data from a subarray (T) or full frame (F)'),
    card('DETECTOR', mode.detector, 'detector in use: CCD, FUV-MAMA, NUV-MAMA'),
    card('OPT_ELEM', mode.optElem, 'optical element in use'),
    card('APERTURE', p.aperture, 'aperture name'),
    card('PROPAPER', p.aperture, 'proposed aperture name'),
    card('FILTER', 'Clear', 'filter in use'),
    card('APER_FOV', `${p.aperture.toLowerCase()} arcsec`, 'aperture field of view'),
    card('CENWAVE', mode.cenwave, 'central wavelength of spectrum'),
    card('BINAXIS1', 1, 'axis1 data bin size in unbinned detector pixels'),
    card('BINAXIS2', 1, 'axis2 data bin size in unbinned detector pixels'),
    card('TDATEOBS', tdate, 'UT date of start of first exposure in file'),
    card('TTIMEOBS', ttime, 'UT start time of first exposure in file'),
    fcard('TEXPSTRT', p.expstart, 'start time (MJD) of 1st exposure in file'),
    fcard('TEXPEND', round(expend, 7), 'end time (MJD) of last exposure in the file'),
    fcard('TEXPTIME', p.exptime, 'total exposure time (seconds)'),
  ];
  for (const sw of ['DQICORR', 'GLINCORR', 'LFLGCORR', 'FLATCORR', 'DOPPCORR', 'WAVECORR', 'X1DCORR', 'BACKCORR', 'FLUXCORR', 'HELCORR']) {
    cards.push(card(sw, 'PERFORM', 'calibration switch'));
  }
  cards.push(
    card('BPIXTAB', refs.bpixtab ?? 'N/A', 'bad pixel table'),
    card('DARKFILE', mode.detector === 'FUV-MAMA' ? 'oref$x9o15207o_drk.fits' : 'oref$x9o15208o_drk.fits', 'dark image file name'),
    card('PFLTFILE', refs.pfltfile ?? 'N/A', 'pixel to pixel flat field file name'),
    card('DFLTFILE', 'N/A', 'delta flat field file name'),
    card('LFLTFILE', refs.lfltfile ?? 'N/A', 'low order flat'),
    card('PHOTTAB', refs.phottab ?? 'N/A', 'Photometric throughput table'),
    card('APERTAB', 'oref$y2r1559to_apt.fits', 'relative aperture throughput table'),
    card('SPTRCTAB', 'oref$qa31608go_1dt.fits', 'spectrum trace table'),
    card('DISPTAB', 'oref$l2j0137to_dsp.fits', 'dispersion coefficient table'),
    card('XTRACTAB', 'oref$n7p1032ao_1dx.fits', 'parameters for 1-D spectral extraction tab'),
    card('TDSTAB', 'oref$16j16005o_tds.fits', 'time-dependent sensitivity algorithm table'),
    ...waveCards(mode.cenwave, minwave, maxwave, mode.specres, mode.platesc),
  );
  return cards;
}

export interface StisEventsInfo {
  shifta1: number;
  shifta2: number;
  doppler: DopplerInfo;
  nevents: number;
  sdqflags: number;
  expend: number;
}

export function stisEventsCards(p: ExposurePlan, info: StisEventsInfo): CardInput[] {
  return [
    card('ROOTNAME', p.rootname, 'rootname of the observation set'),
    card('EXPNAME', `${p.rootname.slice(0, 8)}q`, 'exposure identifier'),
    card('TCTYP2', 'RA---TAN', 'the coordinate type for the first axis'),
    card('TCTYP3', 'DEC--TAN', 'the coordinate type for the second axis'),
    fcard('TCRVL2', round(p.target.ra, 4), 'first axis value at reference pixel'),
    fcard('TCRVL3', round(p.target.dec, 4), 'second axis value at reference pixel'),
    fcard('TCRPX2', 1024.5, 'x-coordinate of reference pixel'),
    fcard('TCRPX3', 1024.5, 'y-coordinate of reference pixel'),
    card('TCUNI2', 'deg', 'units for the first axis'),
    card('TCUNI3', 'deg', 'units for the second axis'),
    fcard('TC2_2', -3.4e-6, 'partial of first axis coordinate w.r.t. x'),
    fcard('TC2_3', 0, 'partial of first axis coordinate w.r.t. y'),
    fcard('TC3_2', 0, 'partial of second axis coordinate w.r.t. x'),
    fcard('TC3_3', 3.4e-6, 'partial of second axis coordinate w.r.t. y'),
    ...exposureCards(p, info.expend),
    fcard('DOPPZERO', info.doppler.zeroMjd, 'Commanded time of zero Doppler shift (MJD)'),
    fcard('DOPPMAG', info.doppler.magnitude, 'Doppler shift magnitude (high-res pixels)'),
    fcard('ORBITPER', info.doppler.period, 'Orbital Period used on board for Doppler corr.'),
    fcard('GLOBRATE', round(p.exptime > 0 ? info.nevents / p.exptime : 0, 3), 'global count rate'),
    card('NEVENTS', info.nevents, 'number of events in the table'),
    card('SDQFLAGS', info.sdqflags, 'serious data quality flags'),
    fcard('SHIFTA1', info.shifta1, 'Spectrum shift in AXIS1 calculated from WAVECAL'),
    fcard('SHIFTA2', info.shifta2, 'Spectrum shift in AXIS2 calculated from WAVECAL'),
  ];
}

export function x1dSciCards(p: ExposurePlan, info: Pick<StisEventsInfo, 'shifta1' | 'shifta2' | 'expend'>): CardInput[] {
  return [...exposureCards(p, info.expend), fcard('SHIFTA1', info.shifta1, 'Spectrum shift in AXIS1 calculated from WAVECAL'), fcard('SHIFTA2', info.shifta2, 'Spectrum shift in AXIS2 calculated from WAVECAL')];
}

/** Primary header of a reference file. */
export function refPrimaryCards(filetype: string, instrume: string, detector: string, descrip: string): CardInput[] {
  return [
    card('FILETYPE', filetype, 'type of data'),
    card('TELESCOP', 'HST', 'telescope used to acquire data'),
    card('INSTRUME', instrume, 'identifier for instrument used to acquire data'),
    card('DETECTOR', detector, 'detector in use'),
    card('USEAFTER', 'May 11 2009 00:00:00', 'use after this date'),
    card('PEDIGREE', 'INFLIGHT 11/05/2009 01/01/2016', 'pedigree of the data'),
    card('DESCRIP', descrip, 'description of the file'),
    { key: 'COMMENT', value: 'Synthetic reference file written by the hstlc archive generator.' },
  ];
}
