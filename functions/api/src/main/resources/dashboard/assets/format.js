// How values read on screen: times, durations, counts, statuses.

const dateTime = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'medium'});
const number = new Intl.NumberFormat();
const relative = new Intl.RelativeTimeFormat(undefined, {numeric: 'auto'});

export const ACTIVE = new Set(['preparing', 'awaiting_confirmation', 'execution']);

export function isActive(run) {
  return ACTIVE.has(run?.status);
}

const shortDateTime = new Intl.DateTimeFormat(undefined, {month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit'});

/** A time in a table cell: no year, so that it fits on one line. */
export function formatShortTime(iso) {
  return iso ? shortDateTime.format(new Date(iso)) : '—';
}

export function formatTime(iso) {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** "3 minutes ago", for lists where the exact time is in the title. */
export function formatAgo(iso, now = Date.now()) {
  if (!iso) return '—';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const units = [['year', 31536000], ['month', 2592000], ['day', 86400], ['hour', 3600], ['minute', 60]];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(seconds, 'second');
}

export function formatDuration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${(ms / 1000).toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatCount(value) {
  return value === null || value === undefined ? '—' : number.format(value);
}

const dollars = new Intl.NumberFormat('en-US', {style: 'currency', currency: 'USD', maximumSignificantDigits: 3});

/** An estimated cost in US dollars: three significant digits, also for the fractions of a cent a run costs. */
export function formatUsd(value) {
  return value === null || value === undefined ? '—' : dollars.format(value);
}

export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined) return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

const STATUS_LABELS = {
  finished_with_errors: 'finished with errors',
  configuration_required: 'configuration required',
  awaiting_confirmation: 'awaiting confirmation',
};

export function statusLabel(status) {
  return STATUS_LABELS[status] ?? status ?? '—';
}

/** The badge's colour follows the status' meaning, and the text always says it too. */
export function statusTone(status) {
  switch (status) {
    case 'finished': case 'succeeded': case 'active': return 'ok';
    case 'finished_with_errors': case 'configuration_required': case 'rejected': case 'awaiting_confirmation': return 'warn';
    case 'failed': return 'bad';
    case 'preparing': case 'execution': case 'planned': return 'busy';
    default: return 'muted';
  }
}
