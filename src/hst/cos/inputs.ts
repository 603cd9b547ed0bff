/**
 * Which files and segments a COS extraction reads (§6.1), the FUV a/b partner (§1.3), and the
 * extraction regions from the events-header keywords (§6.4).
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { FitsReader, type Header, ProductError } from '../../fits/index.js';
import type { ModeInputs, SegmentInput } from '../mode.js';
import { fuvSegmentPair } from '../names.js';

export type SegmentLetter = 'A' | 'B' | 'C';

export interface CosInputs extends ModeInputs {
  detector: 'FUV' | 'NUV';
  /** Base names of the files used, `_a` first (§6.6 source_files). */
  sourceFiles: string[];
}

/**
 * §6.1 collect_inputs from the opened `first` file: its NUV stripes, or the FUV a/b pair. The caller
 * closes `readers` (`first` among them); on an error here the readers opened here are closed, `first` is not.
 */
export async function collectInputs(path: string, first: FitsReader): Promise<CosInputs> {
  const primary = first.hdus[0].header;
  const detector = (primary.string('DETECTOR') ?? '').trim().toUpperCase();
  if (detector === 'NUV') {
    const optElem = (primary.string('OPT_ELEM') ?? '').trim().toUpperCase();
    const letters: SegmentLetter[] = optElem === 'G230L' ? ['A', 'B'] : ['A', 'B', 'C'];
    const events = eventsHeader(first);
    return {
      detector,
      primary,
      segments: letters.map((letter) => ({ letter, path, reader: first, primary, events })),
      readers: [first],
      sourceFiles: [basename(path)],
    };
  }
  if (detector !== 'FUV') {
    throw new ProductError(`${path}: COS DETECTOR is '${detector}', expected FUV or NUV`);
  }
  const [a, b] = fuvSegmentPair(path, existsSync);
  const segments: SegmentInput[] = [];
  const readers: FitsReader[] = [];
  try {
    for (const [name, letter] of [
      [a, 'A'],
      [b, 'B'],
    ] as const) {
      if (name !== path && !existsSync(name)) continue;
      const reader = name === path ? first : await FitsReader.open(name);
      readers.push(reader);
      segments.push({ letter, path: name, reader, primary: reader.hdus[0].header, events: eventsHeader(reader) });
    }
  } catch (e) {
    for (const r of readers) if (r !== first) await r.close();
    throw e;
  }
  if (!readers.includes(first)) readers.push(first);
  return { detector, primary, segments, readers, sourceFiles: segments.map((s) => basename(s.path)) };
}

function eventsHeader(reader: FitsReader): Header {
  const h = reader.hdus[1];
  if (h === undefined || h.table === undefined) throw new ProductError(`${reader.path}: HDU 1 is not an events table`);
  return h.header;
}

export type RegionKind = 'spectrum' | 'background1' | 'background2';

const REGION_KEYS: Record<RegionKind, [string, string]> = {
  spectrum: ['SP_HGT', 'SP_LOC'],
  background1: ['B_HGT1', 'B_BKG1'],
  background2: ['B_HGT2', 'B_BKG2'],
};

/** §6.4: [centre − floor(height/2), centre + floor(height/2)) from the events header. */
export function extractionRegion(events: Header, letter: string, kind: RegionKind, file: string): [number, number] {
  const [hk, ck] = REGION_KEYS[kind];
  const height = events.number(`${hk}_${letter}`);
  const centre = events.number(`${ck}_${letter}`);
  if (height === undefined || centre === undefined) {
    throw new ProductError(`${file}: events header lacks ${hk}_${letter} or ${ck}_${letter} (needed for the ${kind} region)`);
  }
  const half = Math.floor(height / 2);
  return [centre - half, centre + half];
}
