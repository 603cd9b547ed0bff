/**
 * The rendering edge (DESIGN §6): an ECharts option → SVG in Node (ECharts' server-side renderer) →
 * PNG (resvg). Fonts are loaded from files, never from the system, so output is the same on every host.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';
import { Resvg } from '@resvg/resvg-js';

/** Debian's fonts-dejavu-core (a CI dependency). HSTLC_FONT_DIR points elsewhere if needed. */
export const DEFAULT_FONT_DIR = process.env.HSTLC_FONT_DIR ?? '/usr/share/fonts/truetype/dejavu';
export const DEFAULT_FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] as const;
export const DEFAULT_FONT_FAMILY = 'DejaVu Sans';

export interface Size {
  width: number;
  height: number;
}

export interface PngOptions {
  /** Font files to load; DejaVu Sans from DEFAULT_FONT_DIR by default. */
  fontFiles?: readonly string[];
  fontFamily?: string;
  /** Output scale (2 = retina); the PNG is round(width·scale) × round(height·scale). */
  scale?: number;
}

/** Server-side SVG of an option at a fixed size; the chart instance is disposed either way. */
export function renderSvg(option: EChartsOption, size: Size): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export function defaultFontFiles(): string[] {
  const files = DEFAULT_FONT_FILES.map((f) => join(DEFAULT_FONT_DIR, f));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new Error(`fonts for PNG rendering not found: ${missing.join(', ')} (apt install fonts-dejavu-core, or set HSTLC_FONT_DIR)`);
  }
  return files;
}

/** SVG → PNG bytes. Every generic family maps to the one loaded font, so text never silently vanishes. */
export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  const family = options.fontFamily ?? DEFAULT_FONT_FAMILY;
  const resvg = new Resvg(svg, {
    font: {
      fontFiles: [...(options.fontFiles ?? defaultFontFiles())],
      loadSystemFonts: false,
      defaultFontFamily: family,
      sansSerifFamily: family,
      serifFamily: family,
      monospaceFamily: family,
    },
    fitTo: options.scale && options.scale !== 1 ? { mode: 'zoom', value: options.scale } : { mode: 'original' },
    background: '#ffffff',
    shapeRendering: 2,
    textRendering: 1,
  });
  return resvg.render().asPng();
}

export function renderPng(option: EChartsOption, size: Size, options: PngOptions = {}): Uint8Array {
  return svgToPng(renderSvg(option, size), options);
}

/** Width and height from a PNG's IHDR chunk (bytes 16–23), for checks without a decoder. */
export function pngSize(png: Uint8Array): Size {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || signature.some((b, i) => png[i] !== b)) throw new Error('not a PNG');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
