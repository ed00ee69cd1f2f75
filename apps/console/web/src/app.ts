import { h, render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import htm from 'htm';
import { api, ApiError, type Alert, type Breakdown, type Meta, type Overview, type Rule, type Series, type Timeline, type ViewBrief } from './api';
import { Sparkline, TimeChart } from './charts';
import { dateTime, formatChange, formatValue, seconds, time } from './format';
import './app.css';

const html = htm.bind(h);

const RANGES: Record<string, number> = { '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 24 * 3_600_000 };

interface Ctx {
  meta: Meta;
  property: string;
  range: string;
  /** Bumped by live minute panes: pages that show the open minute reload their data. */
  tick: number;
}

function useHash(): string[] {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
}

function useData<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: ApiError | Error | null } {
  const [state, setState] = useState<{ data: T | null; error: ApiError | Error | null }>({ data: null, error: null });
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data, error: null }),
      (error: Error) => live && setState((s) => ({ data: s.data, error })),
    );
    return () => {
      live = false;
    };
  }, deps);
  return state;
}

const info = (meta: Meta, metric: string) => meta.metrics.find((m) => m.name === metric);
const fmt = (meta: Meta, metric: string) => (v: number | null) => formatValue(v, info(meta, metric)?.kind);
const rangeParams = (ctx: Ctx) => ({ property: ctx.property, from: Date.now() - RANGES[ctx.range]!, to: Date.now() });

function ErrorBox(props: { error: Error | null }) {
  if (!props.error) return null;
  const e = props.error;
  return html`<div class="error" role="alert">${e instanceof ApiError ? `${e.code}: ` : ''}${e.message}</div>`;
}

function CoverageNote(props: { meta: Meta; coverage?: { incomplete: boolean; streams_from: number } | undefined }) {
  if (props.meta.history) return html`<p class="note">History before ${dateTime(props.meta.streams_from)} from MongoDB; the rest from the streams.</p>`;
  return html`<p class="note" data-test="no-mongo">No MongoDB (MONGO_URL unset): the console answers for what the streams keep (from ${dateTime(props.meta.streams_from)}) and the views of the last ${props.meta.views_hours} h.${props.coverage?.incomplete ? ' Part of this range is older and is left out.' : ''}</p>`;
}

function Tiles(props: { ctx: Ctx; overview: Overview }) {
  const { meta } = props.ctx;
  return html`<div class="tiles">
    ${props.overview.tiles.map((t) => {
      const m = info(meta, t.metric);
      const good = t.change === null || t.change === 0 ? '' : (m?.better === 'higher') === t.change > 0 ? 'good' : 'bad';
      return html`<div class="tile" data-metric=${t.metric}>
        <div class="label">${m?.label ?? t.metric}</div>
        <div class="value" data-value=${t.value === null ? '' : String(t.value)}>${formatValue(t.value, m?.kind)}</div>
        <div class=${`change ${good}`}>${t.change === null ? 'no previous period' : `${formatChange(t.change)} vs previous`}</div>
      </div>`;
    })}
  </div>`;
}

function OpenMinute(props: { ctx: Ctx; overview: Overview }) {
  const open = props.overview.open_minute;
  if (!open) return html`<div class="open-minute" data-test="open-minute">No open minute: no viewer in the last two minutes.</div>`;
  return html`<div class="open-minute" data-test="open-minute" data-pane=${open.pane_index}>
    <strong>Now</strong> (minute from ${time(open.window_start)}, pane ${open.pane_index}): <span data-test="open-concurrent">${open.concurrent_viewers}</span> viewers, ${open.plays} plays, ${open.attempts} attempts
  </div>`;
}

function OverviewPage(props: { ctx: Ctx; cohort?: { dimension: string; value: string } }) {
  const { ctx, cohort } = props;
  const params = { ...rangeParams(ctx), ...(cohort ?? {}) };
  const overview = useData(() => api.get<Overview>('/v1/overview', params), [ctx.property, ctx.range, ctx.tick, cohort?.value]);
  const charts = useData(
    () => api.get<Series>('/v1/series', { ...params, metric: 'plays,concurrent_viewers,startup_time_median_ms,startup_time_p95_ms,rebuffer_percentage,mean_overall_score,playback_failure_rate' }),
    [ctx.property, ctx.range, ctx.tick, cohort?.value],
  );
  const s = (metric: string) => charts.data?.series.find((x) => x.metric === metric)?.points ?? [];
  const times = s('plays').map((p) => p.t);
  const values = (metric: string) => s(metric).map((p) => p.value);
  return html`<section>
    <h2>${cohort ? `Overview of ${cohort.dimension} = ${cohort.value}` : 'Overview'}</h2>
    <${ErrorBox} error=${overview.error ?? charts.error} />
    ${overview.data && html`<${OpenMinute} ctx=${ctx} overview=${overview.data} /><${Tiles} ctx=${ctx} overview=${overview.data} /><${CoverageNote} meta=${ctx.meta} coverage=${overview.data.coverage} />`}
    ${charts.data &&
    html`<div class="charts">
      <${TimeChart} title="Plays and concurrent viewers" times=${times} series=${[{ label: 'plays', values: values('plays') }, { label: 'concurrent viewers', values: values('concurrent_viewers') }]} />
      <${TimeChart} title="Startup time" times=${times} format=${fmt(ctx.meta, 'startup_time_median_ms')} series=${[{ label: 'median', values: values('startup_time_median_ms') }, { label: 'p95', values: values('startup_time_p95_ms') }]} />
      <${TimeChart} title="Rebuffer percentage and playback failures" times=${times} format=${fmt(ctx.meta, 'rebuffer_percentage')} series=${[{ label: 'rebuffer %', values: values('rebuffer_percentage') }, { label: 'playback failures', values: values('playback_failure_rate') }]} />
      <${TimeChart} title="Overall score" times=${times} format=${fmt(ctx.meta, 'mean_overall_score')} series=${[{ label: 'mean overall score', values: values('mean_overall_score') }]} />
    </div>`}
  </section>`;
}

function BreakdownPage(props: { ctx: Ctx }) {
  const { ctx } = props;
  const [dimension, setDimension] = useState('cdn');
  const [sort, setSort] = useState('plays');
  const [drill, setDrill] = useState<string | null>(null);
  const data = useData(() => api.get<Breakdown>('/v1/breakdown', { ...rangeParams(ctx), dimension, sort, limit: 10 }), [ctx.property, ctx.range, dimension, sort, ctx.tick]);
  const shown = ['plays', 'concurrent_viewers', 'startup_time_median_ms', 'rebuffer_percentage', 'playback_failure_rate', 'mean_overall_score'];
  const rows = data.data ? [...data.data.rows, ...(data.data.other ? [data.data.other] : [])] : [];
  return html`<section>
    <h2>Breakdown</h2>
    <div class="controls">
      <label>Dimension <select name="dimension" value=${dimension} onChange=${(e: Event) => (setDimension((e.target as HTMLSelectElement).value), setDrill(null))}>
        ${ctx.meta.dimensions.filter((d) => d !== 'all').map((d) => html`<option value=${d}>${d}</option>`)}
      </select></label>
      <label>Sort by <select name="sort" value=${sort} onChange=${(e: Event) => setSort((e.target as HTMLSelectElement).value)}>
        ${ctx.meta.metrics.map((m) => html`<option value=${m.name}>${m.label}</option>`)}
      </select></label>
    </div>
    <${ErrorBox} error=${data.error} />
    ${data.data &&
    html`<table class="breakdown">
      <thead><tr><th>${dimension}</th>${shown.map((m) => html`<th>${info(ctx.meta, m)?.label}</th>`)}<th>${info(ctx.meta, sort)?.label} per ${ctx.range === '24h' ? 'hour' : 'minute'}</th></tr></thead>
      <tbody>
        ${rows.map(
          (r) => html`<tr class=${`cohort ${drill === r.value ? 'selected' : ''}`} data-cohort=${r.value} onClick=${() => r.value !== 'other' && setDrill(r.value)}>
            <td>${r.value}${r.values_folded ? html` <small>(${r.values_folded} values)</small>` : ''}</td>
            ${shown.map((m) => html`<td data-metric=${m}>${formatValue(r.figures[m], info(ctx.meta, m)?.kind)}</td>`)}
            <td><${Sparkline} values=${r.spark} /></td>
          </tr>`,
        )}
        <tr class="total"><td>total</td>${shown.map((m) => html`<td data-metric=${m}>${formatValue(data.data!.total.figures[m], info(ctx.meta, m)?.kind)}</td>`)}<td><${Sparkline} values=${data.data.total.spark} /></td></tr>
      </tbody>
    </table>`}
    ${drill && html`<div class="drill" data-test="drill"><${OverviewPage} ctx=${ctx} cohort=${{ dimension, value: drill }} /><${ViewsList} ctx=${ctx} cohort=${`${dimension}:${drill}`} /></div>`}
  </section>`;
}

function ViewsList(props: { ctx: Ctx; cohort?: string }) {
  const { ctx } = props;
  const [sort, setSort] = useState('worst');
  const data = useData(() => api.get<{ views: ViewBrief[]; matched: number }>('/v1/views', { ...rangeParams(ctx), sort, limit: 50, cohort: props.cohort }), [ctx.property, ctx.range, sort, props.cohort, ctx.tick]);
  return html`<section>
    <h2>Views${props.cohort ? ` of ${props.cohort}` : ''}</h2>
    <div class="controls"><label>Order <select name="view-sort" value=${sort} onChange=${(e: Event) => setSort((e.target as HTMLSelectElement).value)}><option value="worst">worst first</option><option value="recent">most recent first</option></select></label>
    ${data.data && html`<span>${data.data.matched} views</span>`}</div>
    <${ErrorBox} error=${data.error} />
    ${data.data &&
    html`<table class="views">
      <thead><tr><th>view</th><th>score</th><th>status</th><th>title</th><th>cdn</th><th>player</th><th>country</th><th>startup</th><th>stalls</th><th>rebuffer</th><th>bitrate</th><th>last beacon</th></tr></thead>
      <tbody>${data.data.views.map(
        (v) => html`<tr class="view" data-view=${v.view_id} data-started=${String(v.startup_time_ms !== null)}>
          <td><a href=${`#/views/${encodeURIComponent(v.view_id)}`}>${v.view_id}</a></td>
          <td class="score">${v.playback_failed ? html`<span class="bad">failed</span>` : formatValue(v.overall_score, 'score')}</td>
          <td>${v.status}</td><td>${v.title ?? '–'}</td><td>${v.cdn ?? '–'}</td><td>${v.player ?? '–'}</td><td>${v.country ?? '–'}</td>
          <td>${formatValue(v.startup_time_ms, 'ms')}</td><td>${v.rebuffer_count}</td><td>${formatValue(v.rebuffer_percentage, 'fraction')}</td><td>${formatValue(v.weighted_average_bitrate_bps, 'bps')}</td><td>${time(v.last_received_at)}</td>
        </tr>`,
      )}</tbody>
    </table>`}
  </section>`;
}

const SPAN_COLORS: Record<string, string> = { startup: '#9ca3af', playing: '#16a34a', stall: '#dc2626', seek: '#2563eb', pause: '#e5e7eb', ad: '#9333ea' };

function TimelinePage(props: { ctx: Ctx; viewId: string }) {
  const data = useData(() => api.get<Timeline>(`/v1/views/${encodeURIComponent(props.viewId)}/timeline`), [props.viewId]);
  const t = data.data;
  const width = 1000;
  const total = Math.max(1, t?.duration_ms ?? 1);
  const x = (ms: number) => (ms / total) * width;
  return html`<section>
    <h2>View ${props.viewId}</h2>
    <${ErrorBox} error=${data.error} />
    ${t &&
    html`<div>
      <p>${t.view.title ?? ''} · ${t.view.player ?? ''} · ${t.view.cdn ?? ''} · ${t.view.country ?? ''} · ${t.view.status}${t.score ? ` · ${t.score.kind} overall score ${formatValue(t.score.scores.overall ?? null, 'score')}` : ''}</p>
      <svg class="timeline" data-test="timeline" viewBox=${`0 0 ${width} 70`} width="100%" height="90">
        ${t.spans.map((s) => html`<rect data-span=${s.kind} x=${x(s.from)} y="10" width=${Math.max(1, x((s.to ?? total) - s.from))} height="24" fill=${SPAN_COLORS[s.kind] ?? '#000'}><title>${s.kind} ${seconds(s.from)}–${s.to === null ? 'open' : seconds(s.to)}</title></rect>`)}
        ${t.errors.map((e) => html`<line x1=${x(e.t)} x2=${x(e.t)} y1="4" y2="40" stroke="#000" stroke-width="2"><title>${e.code} ${e.message ?? ''}</title></line>`)}
        ${t.renditions.map((r) => html`<g><line x1=${x(r.t)} x2=${x(r.t)} y1="40" y2="52" stroke="#6b7280" /><text x=${x(r.t) + 2} y="62" font-size="10">${r.height ? `${r.height}p` : ''} ${Math.round(r.bitrate_bps / 1000)}k</text></g>`)}
      </svg>
      <div class="legend">${Object.entries(SPAN_COLORS).map(([k, c]) => html`<span><i style=${`background:${c}`}></i>${k}</span>`)}</div>
      <div class="figures">startup ${formatValue(t.view.startup_time_ms, 'ms')} · watch ${formatValue(t.view.watch_time_ms, 'ms')} · ${t.view.rebuffer_count} stalls · rebuffer ${formatValue(t.view.rebuffer_percentage, 'fraction')} · bitrate ${formatValue(t.view.weighted_average_bitrate_bps, 'bps')}${t.truncated ? ' · events truncated' : ''}</div>
      <table class="events"><thead><tr><th>seq</th><th>t</th><th>event</th><th>playhead</th><th>detail</th></tr></thead>
        <tbody>${t.events.map((e) => html`<tr data-seq=${e.seq}><td>${e.seq}</td><td>${seconds(e.t)}</td><td>${e.type}</td><td>${seconds(e.playhead_ms)}</td><td>${e.error ? `${e.error.code}${e.error.fatal ? ' (fatal)' : ''}` : ''}</td></tr>`)}</tbody>
      </table>
    </div>`}
  </section>`;
}

function AlertsPage(props: { ctx: Ctx }) {
  const { ctx } = props;
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<Error | null>(null);
  const data = useData(() => api.get<{ alerts: Alert[] }>('/v1/alerts', { property: ctx.property }), [ctx.property, ctx.tick, version]);
  const ack = async (id: string) => {
    try {
      await api.post(`/v1/alerts/${encodeURIComponent(id)}/ack`, { by: 'console' });
      setError(null);
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e as Error);
    }
  };
  const groups = ['firing', 'acknowledged', 'resolved'];
  return html`<section>
    <h2>Alerts</h2>
    <${ErrorBox} error=${error ?? data.error} />
    ${data.data &&
    groups.map((state) => {
      const list = data.data!.alerts.filter((a) => a.state === state);
      return html`<h3>${state} (${list.length})</h3>
        <table class="alerts"><thead><tr><th>severity</th><th>summary</th><th>cohort</th><th>probable cause</th><th>since</th><th></th></tr></thead>
        <tbody>${list.map(
          (a) => html`<tr class="alert" data-alert=${a.alert_id} data-state=${a.state}>
            <td class=${a.severity}>${a.severity}</td><td>${a.summary}</td><td>${Object.entries(a.cohort).map(([k, v]) => `${k}=${v}`).join(' ')}</td>
            <td>${a.cause ? `${a.cause.dimension}=${a.cause.value}: ${a.cause.summary}` : '–'}</td><td>${dateTime(a.fired_at ?? a.at)}</td>
            <td>${a.state === 'firing' && ctx.meta.admin ? html`<button class="ack" onClick=${() => ack(a.alert_id)}>Acknowledge</button>` : a.acknowledged_by ? `by ${a.acknowledged_by}` : ''}</td>
          </tr>`,
        )}</tbody></table>`;
    })}
  </section>`;
}

const BLANK_RULE: Rule = { id: '', kind: 'threshold', description: '', severity: 'warning', enabled: true, channels: [], metric: 'playback_failure_rate_of_attempts', cohort: { dimension: 'cdn' }, comparison: '>', value: 0.05, trigger_after_ms: 60000, resolve_after_ms: 120000 };

function RulesPage(props: { ctx: Ctx }) {
  const { ctx } = props;
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<Rule | null>(null);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<Error | null>(null);
  // What the user typed, by field: the inputs render from it, so a re-render (an error shown) keeps it.
  const [draft, setDraft] = useState<Record<string, string | boolean>>({});
  const edit = (rule: Rule | null) => (setEditing(rule), setDraft({}), setIssues({}));
  const data = useData(() => api.get<{ rules: Rule[] }>('/v1/rules'), [version]);
  const save = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '');
    const num = (name: string) => (text(name) === '' ? undefined : Number(text(name)));
    const kind = text('kind');
    const rule: Record<string, unknown> = {
      kind,
      severity: text('severity'),
      enabled: form.get('enabled') === 'on',
      channels: text('channels').split(',').map((c) => c.trim()).filter(Boolean),
      ...(text('description') ? { description: text('description') } : {}),
      ...(text('property_id') ? { property_id: text('property_id') } : {}),
    };
    if (kind === 'threshold') {
      Object.assign(rule, { metric: text('metric'), cohort: { dimension: text('cohort_dimension'), ...(text('cohort_value') ? { value: text('cohort_value') } : {}) }, comparison: text('comparison'), value: num('value'), trigger_after_ms: num('trigger_after_ms'), resolve_after_ms: num('resolve_after_ms') });
    } else {
      Object.assign(rule, { min_severity: text('min_severity'), auto_resolve_ms: num('auto_resolve_ms'), ...(text('metric') ? { metric: text('metric') } : {}) });
    }
    const id = text('id');
    try {
      if (!id) {
        setIssues({ '/id': 'an id is required' });
        return;
      }
      await api.put(`/v1/rules/${encodeURIComponent(id)}`, rule);
      setError(null);
      edit(null);
      setVersion((v) => v + 1);
    } catch (e) {
      const err = e as ApiError;
      if (err.issues?.length) setIssues(Object.fromEntries(err.issues.map((i) => [i.path.replace('/cohort/dimension', '/cohort_dimension').replace('/cohort/value', '/cohort_value'), i.message])));
      setError(err);
    }
  };
  const remove = async (id: string) => {
    try {
      await api.del(`/v1/rules/${encodeURIComponent(id)}`);
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e as Error);
    }
  };
  const field = (name: string, label: string, input: unknown) => html`<label class=${`field ${issues[`/${name}`] ? 'invalid' : ''}`} data-field=${name}>${label} ${input}${issues[`/${name}`] ? html`<span class="issue" data-issue=${name}>${issues[`/${name}`]}</span>` : ''}</label>`;
  const onInput = (event: Event) => {
    const target = event.target as HTMLInputElement;
    if (target.name) setDraft((d) => ({ ...d, [target.name]: target.type === 'checkbox' ? target.checked : target.value }));
  };
  const r = editing;
  const v = (name: string, initial: unknown) => String(draft[name] ?? initial ?? '');
  return html`<section>
    <h2>Alert rules</h2>
    <${ErrorBox} error=${error ?? data.error} />
    ${data.data &&
    html`<table class="rules"><thead><tr><th>id</th><th>kind</th><th>what</th><th>severity</th><th>enabled</th><th></th></tr></thead>
      <tbody>${data.data.rules.map(
        (rule) => html`<tr data-rule=${rule.id}><td>${rule.id}</td><td>${rule.kind}</td><td>${rule.kind === 'threshold' ? `${String(rule.metric)} ${String(rule.comparison)} ${String(rule.value)} by ${(rule.cohort as { dimension: string }).dimension}` : `anomalies ≥ ${String(rule.min_severity)}`}</td><td>${String(rule.severity)}</td><td>${rule.enabled ? 'yes' : 'no'}</td>
          <td>${ctx.meta.admin && html`<button onClick=${() => edit(rule)}>Edit</button> <button onClick=${() => remove(rule.id)}>Delete</button>`}</td></tr>`,
      )}</tbody></table>`}
    ${ctx.meta.admin ? (r ? null : html`<button class="new-rule" onClick=${() => edit({ ...BLANK_RULE })}>New threshold rule</button>`) : html`<p class="note">Sign in with the admin token to change rules.</p>`}
    ${r &&
    html`<form class="rule-form" onSubmit=${save} onInput=${onInput} onChange=${onInput}>
      ${field('id', 'Id', html`<input name="id" value=${v('id', r.id)} />`)}
      ${field('kind', 'Kind', html`<select name="kind" value=${v('kind', r.kind)}><option value="threshold">threshold</option><option value="anomaly">anomaly</option></select>`)}
      ${field('description', 'Description', html`<input name="description" value=${v('description', r.description ?? '')} />`)}
      ${field('property_id', 'Property (empty: all)', html`<input name="property_id" value=${v('property_id', r.property_id ?? '')} />`)}
      ${field('metric', 'Metric', html`<input name="metric" value=${v('metric', r.metric ?? '')} />`)}
      ${field('cohort_dimension', 'Cohort dimension', html`<input name="cohort_dimension" value=${v('cohort_dimension', (r.cohort as { dimension?: string } | undefined)?.dimension ?? '')} />`)}
      ${field('cohort_value', 'Cohort value (empty: each value)', html`<input name="cohort_value" value=${v('cohort_value', (r.cohort as { value?: string } | undefined)?.value ?? '')} />`)}
      ${field('comparison', 'Comparison', html`<select name="comparison" value=${v('comparison', r.comparison ?? '>')}>${['>', '>=', '<', '<='].map((c) => html`<option value=${c}>${c}</option>`)}</select>`)}
      ${field('value', 'Value', html`<input name="value" value=${v('value', r.value ?? '')} />`)}
      ${field('trigger_after_ms', 'Trigger after (ms)', html`<input name="trigger_after_ms" value=${v('trigger_after_ms', r.trigger_after_ms ?? '')} />`)}
      ${field('resolve_after_ms', 'Resolve after (ms)', html`<input name="resolve_after_ms" value=${v('resolve_after_ms', r.resolve_after_ms ?? '')} />`)}
      ${field('min_severity', 'Min severity (anomaly)', html`<select name="min_severity" value=${v('min_severity', r.min_severity ?? 'warning')}>${['info', 'warning', 'critical'].map((c) => html`<option value=${c}>${c}</option>`)}</select>`)}
      ${field('auto_resolve_ms', 'Auto resolve (ms, anomaly)', html`<input name="auto_resolve_ms" value=${v('auto_resolve_ms', r.auto_resolve_ms ?? '')} />`)}
      ${field('severity', 'Severity', html`<select name="severity" value=${v('severity', r.severity)}>${['info', 'warning', 'critical'].map((c) => html`<option value=${c}>${c}</option>`)}</select>`)}
      ${field('channels', 'Channels (comma-separated)', html`<input name="channels" value=${v('channels', ((r.channels as string[]) ?? []).join(','))} />`)}
      ${field('enabled', 'Enabled', html`<input type="checkbox" name="enabled" checked=${draft.enabled ?? r.enabled !== false} />`)}
      <button type="submit">Save</button> <button type="button" onClick=${() => edit(null)}>Cancel</button>
    </form>`}
  </section>`;
}

function Login(props: { onSignedIn: () => void }) {
  const [error, setError] = useState<Error | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('token') as HTMLInputElement;
    try {
      await api.post('/v1/session', { token: input.value });
      input.value = '';
      props.onSignedIn();
    } catch (e) {
      setError(e as Error);
    }
  };
  return html`<main class="login"><h1>Sightline Console</h1>
    <form method="post" action="#" onSubmit=${submit} class="login-form">
      <label>Console token <input type="password" name="token" autocomplete="current-password" required /></label>
      <button type="submit">Sign in</button>
      <p class="note">A read token (CONSOLE_READ_TOKENS) shows its properties; the admin token (CONSOLE_ADMIN_TOKEN) may acknowledge alerts and edit rules. The token is kept in an HttpOnly cookie, never in the address bar.</p>
    </form><${ErrorBox} error=${error} /></main>`;
}

function Shell(props: { meta: Meta; properties: string[]; onSignOut: () => void }) {
  const route = useHash();
  const [property, setProperty] = useState(() => sessionStorage.getItem('property') ?? props.properties[0] ?? '');
  const [range, setRange] = useState('1h');
  const [tick, setTick] = useState(0);
  const [live, setLive] = useState<'connecting' | 'live' | 'lost'>('connecting');
  useEffect(() => {
    if (!property) return undefined;
    sessionStorage.setItem('property', property);
    const source = new EventSource(`/v1/live?property=${encodeURIComponent(property)}&topics=minute,alerts`);
    let last = 0;
    const refresh = () => {
      // Panes arrive every few seconds: reload at most every 3 s.
      if (Date.now() - last < 3000) return;
      last = Date.now();
      setTick((t) => t + 1);
    };
    source.addEventListener('hello', () => setLive('live'));
    source.addEventListener('minute', refresh);
    source.addEventListener('alert', () => ((last = 0), refresh()));
    source.onerror = () => setLive('lost');
    return () => source.close();
  }, [property]);
  const ctx = useMemo<Ctx>(() => ({ meta: props.meta, property, range, tick }), [props.meta, property, range, tick]);
  const page = route[0] || 'overview';
  const nav = ['overview', 'breakdown', 'views', 'alerts', 'rules'];
  return html`<div>
    <header>
      <h1>Sightline</h1>
      <nav>${nav.map((n) => html`<a href=${`#/${n}`} class=${page === n ? 'active' : ''}>${n[0]!.toUpperCase() + n.slice(1)}</a>`)}</nav>
      <label>Property <select name="property" value=${property} onChange=${(e: Event) => setProperty((e.target as HTMLSelectElement).value)}>${props.properties.map((p) => html`<option value=${p}>${p}</option>`)}</select></label>
      <label>Range <select name="range" value=${range} onChange=${(e: Event) => setRange((e.target as HTMLSelectElement).value)}>${Object.keys(RANGES).map((r) => html`<option value=${r}>last ${r}</option>`)}</select></label>
      <span class=${`live ${live}`} data-test="live">${live}</span>
      <button class="sign-out" onClick=${props.onSignOut}>Sign out</button>
    </header>
    <main>
      ${page === 'rules'
        ? html`<${RulesPage} ctx=${ctx} />`
        : !property
        ? html`<p>No property yet: send a view (npm run demo) and reload.</p>`
        : page === 'overview'
          ? html`<${OverviewPage} ctx=${ctx} />`
          : page === 'breakdown'
            ? html`<${BreakdownPage} ctx=${ctx} />`
            : page === 'views' && route[1]
              ? html`<${TimelinePage} ctx=${ctx} viewId=${route[1]} />`
              : page === 'views'
                ? html`<${ViewsList} ctx=${ctx} />`
                : page === 'alerts'
                  ? html`<${AlertsPage} ctx=${ctx} />`
                  : html`<p>No page ${page}.</p>`}
    </main>
  </div>`;
}

function App() {
  const [state, setState] = useState<{ phase: 'loading' | 'login' | 'in'; meta?: Meta; properties?: string[] }>({ phase: 'loading' });
  const load = async () => {
    try {
      const [meta, { properties }] = await Promise.all([api.get<Meta>('/v1/meta'), api.get<{ properties: string[] }>('/v1/properties')]);
      setState({ phase: 'in', meta, properties });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setState({ phase: 'login' });
      else throw e;
    }
  };
  useEffect(() => void load(), []);
  const signOut = async () => {
    await api.del('/v1/session');
    setState({ phase: 'login' });
  };
  if (state.phase === 'loading') return html`<p>Loading…</p>`;
  if (state.phase === 'login') return html`<${Login} onSignedIn=${load} />`;
  return html`<${Shell} meta=${state.meta!} properties=${state.properties!} onSignOut=${signOut} />`;
}

render(html`<${App} />`, document.getElementById('app')!);
