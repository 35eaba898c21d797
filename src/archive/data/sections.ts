/**
 * The statistics page's sections: for each figure, its chart (SVG, see charts.ts) and
 * its table, from the same numbers.
 */
import { columns, horizontalBars, rateLine } from './charts.js';
import { countTable, distributionNotes, monthLabel, rateTable, type ChartView, type SectionView } from './pages.js';
import { percent, type RateRow, type Statistics } from './stats.js';

export interface ChartFile {
  file: string;
  svg: string;
}

/** Bars shown in a breakdown's chart (the table lists every group). */
export const CHART_MAX_BARS = 20;

function chartView(file: string, svg: string, alt: string, caption: string): ChartView {
  const width = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1] ?? 0);
  const height = Number(/<svg[^>]*\sheight="([\d.]+)"/.exec(svg)?.[1] ?? 0);
  return { src: file, alt, caption, width: Math.round(width), height: Math.round(height) };
}

async function rateSection(id: string, heading: string, group: string, rows: readonly RateRow[], charts: ChartFile[]): Promise<SectionView> {
  const shown = rows.filter((r) => r.rate !== null).slice(0, CHART_MAX_BARS);
  const file = `${id}.svg`;
  const svg = await horizontalBars(
    shown.map((r) => ({ label: r.key, value: r.rate!, text: `${percent(r.rate)} (${r.overturned} of ${r.items})` })),
    { title: 'Overturn rate (items)', percent: true },
  );
  charts.push({ file, svg });
  const more = rows.length > shown.length ? ` The chart shows the ${shown.length} ${group.toLowerCase()} groups with the most items; the table lists all ${rows.length}.` : '';
  return {
    id,
    heading,
    chart: chartView(file, svg, `Bar chart: ${heading.toLowerCase()}. The figures are in the table below.`, `${heading}, items decided Overturned out of items decided.${more}`),
    table: rateTable(heading, group, rows),
  };
}

export async function statisticsSections(s: Statistics): Promise<{ sections: SectionView[]; charts: ChartFile[] }> {
  const charts: ChartFile[] = [];
  const sections: SectionView[] = [];
  sections.push(await rateSection('by-category', 'Overturn rate by request category', 'Request category', s.byCategory, charts));
  sections.push(await rateSection('by-specialty', 'Overturn rate by reviewer specialty', 'Reviewer specialty', s.bySpecialty, charts));
  sections.push(await rateSection('by-guideline', 'Overturn rate by guideline cited', 'Guideline source', s.byGuideline, charts));
  sections.push(await rateSection('by-year', 'Overturn rate by year of decision', 'Year', s.byYear, charts));

  const monthSvg = await rateLine(s.byMonth.map((r) => ({ label: r.key, value: r.rate })), { xTitle: 'Month of decision' });
  charts.push({ file: 'by-month.svg', svg: monthSvg });
  sections.push({
    id: 'by-month',
    heading: 'Overturn rate by month of decision',
    chart: chartView('by-month.svg', monthSvg, 'Line chart: overturn rate by month of decision. The figures are in the table below.', 'Overturn rate by month of decision (months without a decision have no point).'),
    table: rateTable('Overturn rate by month of decision', 'Month', s.byMonth, monthLabel),
  });

  const perMonthSvg = await columns(s.decisionsPerMonth.map((r) => ({ label: r.key, value: r.letters })), { xTitle: 'Month of decision', yTitle: 'Letters' });
  charts.push({ file: 'decisions-per-month.svg', svg: perMonthSvg });
  sections.push({
    id: 'decisions-per-month',
    heading: 'Decisions per month',
    chart: chartView('decisions-per-month.svg', perMonthSvg, 'Column chart: letters decided each month. The figures are in the table below.', 'Letters decided each month.'),
    table: countTable('Decisions per month', 'Month', s.decisionsPerMonth, monthLabel),
  });

  const notes = distributionNotes(s);
  const itemsSvg = await columns(s.itemsPerLetter.rows.map((r) => ({ label: r.key, value: r.letters })), { xTitle: 'Items in the letter', yTitle: 'Letters' });
  charts.push({ file: 'items-per-letter.svg', svg: itemsSvg });
  sections.push({
    id: 'items-per-letter',
    heading: 'Items per letter',
    note: notes.items,
    chart: chartView('items-per-letter.svg', itemsSvg, 'Column chart: letters by number of items. The figures are in the table below.', 'Letters by the number of disputed items they decide.'),
    table: countTable('Letters by number of items', 'Items', s.itemsPerLetter.rows),
  });

  const daysSvg = await columns(s.daysToDecision.rows.map((r) => ({ label: r.key, value: r.letters })), { xTitle: 'Days from application received to decision', yTitle: 'Letters' });
  charts.push({ file: 'days-to-decision.svg', svg: daysSvg });
  sections.push({
    id: 'days-to-decision',
    heading: 'Days from application to decision',
    note: notes.days,
    chart: chartView('days-to-decision.svg', daysSvg, 'Column chart: letters by days from application received to decision. The figures are in the table below.', 'Letters by days from the application’s receipt to the decision.'),
    table: countTable('Letters by days from application received to decision', 'Days', s.daysToDecision.rows),
  });
  return { sections, charts };
}
