// kanon scope: draws the output stream of `kanonc run --scope`.
//
// Messages from /ws are binary: a 24-byte little-endian header ("KSC1", u16 channels,
// u16 stride, u32 sample rate, u32 frame count, u64 first frame) then interleaved f32
// samples. They go into one history ring per channel; each display frame
// (requestAnimationFrame) draws from the history: the wave view redraws a triggered
// window, the xy and xyz views are phosphor screens that fade and then draw only the
// samples that arrived since the previous frame.
'use strict';
(() => {
  const HEADER = 24;
  const MAGIC = 0x3143534b; // "KSC1" read as a little-endian u32
  const LITTLE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  const HISTORY_SECONDS = 2;
  const COLORS = ['#5cf08a', '#f0c75c', '#5cc2f0', '#f07a9a', '#b88cf0', '#f0a05c', '#8cf0e4', '#d8f05c'];
  const BG = [10, 14, 12];

  const params = new URLSearchParams(location.search);
  const numParam = (name, fallback) => {
    const v = parseFloat(params.get(name));
    return Number.isFinite(v) && v > 0 ? v : fallback;
  };

  const state = {
    channels: 0, rate: 0, stride: 1, effRate: 0,
    cap: 0, mask: 0, hist: [], total: 0,
    views: new Set(), viewsChosen: params.has('views'),
    timeMs: numParam('time', 20), gain: numParam('gain', 1), persist: numParam('persist', 0.25),
    spin: params.get('spin') !== '0', fit: params.get('fit') !== '0',
    yaw: -Math.PI / 4, pitch: 0.3, // a Lorenz attractor's wings (near x = y) face the viewer dragging: false,
    frames: 0, messages: 0, connects: 0, lastTime: 0,
    fitState: null,
  };
  if (state.viewsChosen) {
    for (const v of params.get('views').split(',')) {
      if (v === 'wave' || v === 'xy' || v === 'xyz') state.views.add(v);
    }
  }

  // ---- pure helpers (also reachable as window.kanonScope for tests) ----

  // Decodes one message; returns null for anything malformed.
  function decode(buf) {
    if (!(buf instanceof ArrayBuffer) || buf.byteLength < HEADER) return null;
    const dv = new DataView(buf);
    if (dv.getUint32(0, true) !== MAGIC) return null;
    const channels = dv.getUint16(4, true), stride = dv.getUint16(6, true);
    const rate = dv.getUint32(8, true), frames = dv.getUint32(12, true);
    const first = Number(dv.getBigUint64(16, true));
    if (channels === 0 || stride === 0 || rate === 0) return null;
    if (buf.byteLength !== HEADER + frames * channels * 4) return null;
    let data;
    if (LITTLE) {
      data = new Float32Array(buf, HEADER, frames * channels);
    } else {
      data = new Float32Array(frames * channels);
      for (let i = 0; i < data.length; i++) data[i] = dv.getFloat32(HEADER + 4 * i, true);
    }
    return { channels, stride, rate, frames, first, data };
  }

  // The latest rising zero crossing of get(i) for i in (from, to], as a fractional index,
  // or -1. Hysteresis: the signal must first go below -hyst, so noise riding on a zero
  // crossing does not re-trigger.
  function findRising(get, from, to, hyst) {
    let armed = false, found = -1, prev = get(from);
    for (let i = from + 1; i <= to; i++) {
      const v = get(i);
      if (v < -hyst) armed = true;
      if (armed && prev < 0 && v >= 0) {
        found = i - 1 + (-prev) / (v - prev);
        armed = false;
      }
      prev = v;
    }
    return found;
  }

  // Views shown by default for a channel count.
  function defaultViews(channels) {
    if (channels >= 3) return ['wave', 'xyz'];
    if (channels === 2) return ['wave', 'xy'];
    return ['wave'];
  }

  // ---- stream ----

  function configure(channels, rate, stride) {
    state.channels = channels;
    state.rate = rate;
    state.stride = stride;
    state.effRate = rate / stride;
    let cap = 8192;
    while (cap < state.effRate * HISTORY_SECONDS) cap *= 2;
    state.cap = cap;
    state.mask = cap - 1;
    state.hist = [];
    for (let c = 0; c < channels; c++) state.hist.push(new Float32Array(cap));
    state.total = 0;
    state.fitState = null;
    for (const p of Object.values(phosphors)) p.reset();
    if (!state.viewsChosen) {
      state.views = new Set(defaultViews(channels));
      applyViews();
    }
  }

  function append(msg) {
    const { channels, frames, data } = msg;
    const { hist, mask } = state;
    let t = state.total;
    for (let f = 0; f < frames; f++, t++) {
      const j = t & mask, base = f * channels;
      for (let c = 0; c < channels; c++) hist[c][j] = data[base + c];
    }
    state.total = t;
  }

  function onMessage(buf) {
    const msg = decode(buf);
    if (!msg) return;
    if (msg.channels !== state.channels || msg.rate !== state.rate || msg.stride !== state.stride) {
      configure(msg.channels, msg.rate, msg.stride);
    }
    append(msg);
    state.messages++;
  }

  function setStatus(s, text) {
    document.body.dataset.status = s;
    document.getElementById('status').textContent = text;
  }

  function connect() {
    const proto = location.protocol === 'https:' ? 'wss://' : 'ws://';
    let ws;
    try {
      ws = new WebSocket(proto + location.host + '/ws');
    } catch (e) {
      setTimeout(connect, 1000);
      return;
    }
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      state.connects++;
      document.body.dataset.connects = String(state.connects);
      setStatus('live', 'live');
    };
    ws.onmessage = (ev) => onMessage(ev.data);
    ws.onclose = () => {
      setStatus('reconnecting', 'reconnecting…');
      setTimeout(connect, 1000);
    };
  }

  // ---- views ----

  const views = {};
  for (const name of ['wave', 'xy', 'xyz']) {
    const section = document.getElementById('view-' + name);
    const canvas = section.querySelector('canvas');
    views[name] = { name, section, canvas, ctx: canvas.getContext('2d'), w: 0, h: 0 };
  }

  function applyViews() {
    for (const [name, v] of Object.entries(views)) v.section.hidden = !state.views.has(name);
    for (const b of document.querySelectorAll('button[data-view]')) {
      b.setAttribute('aria-pressed', String(state.views.has(b.dataset.view)));
    }
    document.body.dataset.views = ['wave', 'xy', 'xyz'].filter((v) => state.views.has(v)).join(',');
  }

  // Matches the canvas's pixel size to its box; true when it changed.
  function fitCanvas(v) {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(v.canvas.clientWidth * dpr));
    const h = Math.max(1, Math.round(v.canvas.clientHeight * dpr));
    if (w === v.w && h === v.h) return false;
    v.canvas.width = v.w = w;
    v.canvas.height = v.h = h;
    return true;
  }

  const sample = (c, i) => state.hist[c][i & state.mask];

  function drawWave(v) {
    const { ctx, w, h } = v;
    ctx.fillStyle = `rgb(${BG})`;
    ctx.fillRect(0, 0, w, h);
    const n = state.channels;
    const laneH = h / n;
    // Graticule: ten divisions across, centre and ±half lines per lane.
    ctx.strokeStyle = 'rgba(120,150,135,0.16)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let d = 1; d < 10; d++) {
      const x = Math.round((d * w) / 10) + 0.5;
      ctx.moveTo(x, 0);
      ctx.lineTo(x, h);
    }
    for (let c = 0; c < n; c++) {
      for (const f of [0.25, 0.5, 0.75]) {
        const y = Math.round(c * laneH + f * laneH) + 0.5;
        ctx.moveTo(0, y);
        ctx.lineTo(w, y);
      }
    }
    ctx.stroke();
    ctx.strokeStyle = 'rgba(120,150,135,0.35)';
    ctx.beginPath();
    for (let c = 1; c < n; c++) {
      const y = Math.round(c * laneH) + 0.5;
      ctx.moveTo(0, y);
      ctx.lineTo(w, y);
    }
    ctx.stroke();

    const avail = Math.min(state.total, state.cap);
    const win = Math.max(2, Math.round((state.timeMs / 1000) * state.effRate));
    const shown = Math.min(win, avail);
    if (shown < 2) return;
    // Trigger: the latest rising crossing that still has a whole window after it.
    let start = state.total - shown;
    let trig = false;
    const span = Math.min(avail - shown, Math.round(state.effRate * 0.5));
    if (span > 2) {
      const from = state.total - shown - span, to = state.total - shown;
      let peak = 0;
      for (let i = from; i <= to; i++) peak = Math.max(peak, Math.abs(sample(0, i)));
      const t = findRising((i) => sample(0, i), from, to, Math.max(1e-6, 0.02 * peak));
      if (t >= 0) {
        start = t;
        trig = true;
      }
    }
    document.body.dataset.trigger = trig ? 'trig' : 'auto';

    const scale = state.gain * 0.45;
    const perPx = win / w; // samples per pixel
    for (let c = 0; c < n; c++) {
      const mid = c * laneH + laneH / 2;
      const top = c * laneH + 1, bottom = (c + 1) * laneH - 1;
      const yOf = (val) => Math.min(bottom, Math.max(top, mid - val * scale * laneH));
      ctx.strokeStyle = COLORS[c % COLORS.length];
      ctx.lineWidth = Math.max(1, Math.round((window.devicePixelRatio || 1) * 1.25));
      ctx.beginPath();
      const i0 = Math.floor(start);
      if (perPx <= 1.5) {
        for (let k = 0; k <= shown; k++) {
          const i = i0 + k;
          if (i >= state.total) break;
          const x = ((i - start) / win) * w;
          const y = yOf(sample(c, i));
          if (k === 0) ctx.moveTo(x, y);
          else ctx.lineTo(x, y);
        }
      } else {
        // Several samples per pixel: one vertical stroke from min to max per column,
        // each column overlapping its neighbour by one sample so the trace is unbroken.
        let lastI = i0;
        for (let px = 0; px < w; px++) {
          const end = Math.min(state.total - 1, Math.floor(start + (px + 1) * perPx));
          if (end < lastI) break;
          let lo = Infinity, hi = -Infinity;
          for (let i = lastI; i <= end; i++) {
            const s = sample(c, i);
            if (s < lo) lo = s;
            if (s > hi) hi = s;
          }
          lastI = end;
          ctx.moveTo(px + 0.5, yOf(hi) - 0.5);
          ctx.lineTo(px + 0.5, yOf(lo) + 0.5);
        }
      }
      ctx.stroke();
      ctx.fillStyle = COLORS[c % COLORS.length];
      ctx.font = `${Math.round(12 * (window.devicePixelRatio || 1))}px system-ui, sans-serif`;
      ctx.fillText('o' + (c + 1), 6, c * laneH + 14 * (window.devicePixelRatio || 1));
    }
    ctx.fillStyle = '#6f7d75';
    const label = `${state.timeMs >= 1000 ? state.timeMs / 1000 + ' s' : state.timeMs + ' ms'} · ${trig ? 'trig ↑ o1' : 'auto'}`;
    ctx.fillText(label, 6, h - 6);
  }

  // A phosphor screen: an energy buffer that fades each frame, shown through a tone map.
  class Phosphor {
    constructor() {
      this.w = 0;
      this.h = 0;
      this.fade = 1;
      this.acc = null;
      this.img = null;
      this.pixels = null; // the image's pixels as one u32 each (little-endian hosts)
      this.drawn = 0; // stream index up to which samples were drawn
      this.lut = Phosphor.makeLut();
      this.lut32 = new Uint32Array(1024);
      for (let i = 0; i < 1024; i++) {
        const [r, g, b] = [this.lut[3 * i], this.lut[3 * i + 1], this.lut[3 * i + 2]];
        this.lut32[i] = ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
      }
    }
    static makeLut() {
      // 1024 steps of energy 0..4 → colour: green phosphor, whitening where it saturates.
      // A log curve, so a chaotic trace whose energy is spread thin (a beam that rarely
      // passes the same spot) still shows, while a repeating figure saturates to white.
      const lut = new Uint8Array(1024 * 3);
      for (let i = 0; i < 1024; i++) {
        const v = Math.log1p(30 * (i / 256)) / Math.log1p(30 * 4);
        const r = BG[0] + 230 * Math.pow(v, 4) + 20 * v;
        const g = BG[1] + 241 * v;
        const b = BG[2] + 150 * Math.pow(v, 3) + 40 * v;
        lut[3 * i] = Math.min(255, r);
        lut[3 * i + 1] = Math.min(255, g);
        lut[3 * i + 2] = Math.min(255, b);
      }
      return lut;
    }
    reset() {
      if (this.acc) this.acc.fill(0);
      this.drawn = 0;
    }
    resize(ctx, w, h) {
      if (w === this.w && h === this.h && this.acc) return;
      this.w = w;
      this.h = h;
      this.acc = new Float32Array(w * h);
      this.img = ctx.createImageData(w, h);
      this.pixels = LITTLE ? new Uint32Array(this.img.data.buffer) : null;
    }
    // The fade is applied while rendering (one pass over the screen per frame); energy
    // added in between is scaled by 1/f so it comes out unfaded.
    decay(f) {
      this.fade = f;
    }
    // Adds energy e spread along the segment, with bilinear splats so it is smooth.
    line(x0, y0, x1, y1, e) {
      e /= this.fade;
      const dx = x1 - x0, dy = y1 - y0;
      const steps = Math.min(4096, Math.max(1, Math.ceil(Math.max(Math.abs(dx), Math.abs(dy)))));
      const each = e / steps;
      for (let s = 0; s < steps; s++) this.splat(x0 + (dx * s) / steps, y0 + (dy * s) / steps, each);
    }
    splat(x, y, e) {
      const xi = Math.floor(x), yi = Math.floor(y);
      if (xi < 0 || yi < 0 || xi >= this.w - 1 || yi >= this.h - 1) return;
      const fx = x - xi, fy = y - yi, i = yi * this.w + xi, a = this.acc;
      a[i] += e * (1 - fx) * (1 - fy);
      a[i + 1] += e * fx * (1 - fy);
      a[i + this.w] += e * (1 - fx) * fy;
      a[i + this.w + 1] += e * fx * fy;
    }
    render(ctx) {
      const a = this.acc, f = this.fade;
      if (this.pixels) {
        const px = this.pixels, lut = this.lut32;
        for (let i = 0; i < a.length; i++) {
          const v = a[i] * f;
          a[i] = v;
          px[i] = lut[Math.min(1023, (v * 256) | 0)];
        }
      } else {
        const d = this.img.data, lut = this.lut;
        for (let i = 0, j = 0; i < a.length; i++, j += 4) {
          const v = a[i] * f;
          a[i] = v;
          const k = 3 * Math.min(1023, (v * 256) | 0);
          d[j] = lut[k];
          d[j + 1] = lut[k + 1];
          d[j + 2] = lut[k + 2];
          d[j + 3] = 255;
        }
      }
      ctx.putImageData(this.img, 0, 0);
    }
  }
  const phosphors = { xy: new Phosphor(), xyz: new Phosphor() };

  // Centre and scale for the xy/xyz views: the recent extent, eased so it does not jitter.
  function updateFit(dt) {
    const n = Math.min(3, state.channels);
    const avail = Math.min(state.total, state.cap, Math.round(state.effRate * 1.0));
    if (avail < 2) return;
    const lo = [0, 0, 0], hi = [0, 0, 0];
    for (let c = 0; c < n; c++) {
      let a = Infinity, b = -Infinity;
      for (let i = state.total - avail; i < state.total; i++) {
        const s = sample(c, i);
        if (s < a) a = s;
        if (s > b) b = s;
      }
      lo[c] = a;
      hi[c] = b;
    }
    // Half extents never below 1e-3, so silence stays a dot instead of magnified noise.
    const target = {
      centre: lo.map((l, c) => (l + hi[c]) / 2),
      half: lo.map((l, c) => Math.max(1e-3, (hi[c] - l) / 2)),
    };
    if (!state.fitState) {
      state.fitState = target;
      return;
    }
    const k = 1 - Math.exp(-dt / 0.4);
    const f = state.fitState;
    for (let c = 0; c < 3; c++) {
      f.centre[c] += (target.centre[c] - f.centre[c]) * k;
      // Ease extents in the log domain so zooming in and out feel alike.
      f.half[c] = Math.exp(Math.log(f.half[c]) + (Math.log(target.half[c]) - Math.log(f.half[c])) * k);
    }
  }

  // Centre and scale for a view drawing `n` channels: one scale for all of them, so
  // shapes keep their true proportions.
  function transform(n) {
    if (state.fit && state.fitState) {
      const f = state.fitState;
      const half = Math.max(...f.half.slice(0, n));
      return { centre: f.centre, scale: state.gain / half };
    }
    return { centre: [0, 0, 0], scale: state.gain };
  }

  // Energy per beam segment. A trace of length L (about 2π·size for a figure filling the
  // view) redrawn at effRate samples a second settles, under persistence tau, at
  // effRate·e·tau/L per pixel: choose e so that is about 4 (well lit, short of white), whatever the rate, the
  // persistence or the canvas size. Faster beams spread it thinner, as on a real tube.
  function beamEnergy(size) {
    return (4 * 2 * Math.PI * size) / (state.effRate * state.persist);
  }

  function newRange(p) {
    const from = Math.max(p.drawn, state.total - Math.round(state.effRate * 0.25), state.total - state.cap + 1, 1);
    p.drawn = state.total;
    return [from, state.total];
  }

  function drawXY(v, decay) {
    const p = phosphors.xy;
    p.resize(v.ctx, v.w, v.h);
    p.decay(decay);
    const { centre, scale } = transform(Math.min(2, state.channels));
    const size = Math.min(v.w, v.h) * 0.45;
    const cx = v.w / 2, cy = v.h / 2;
    const e = beamEnergy(size);
    const [from, to] = newRange(p);
    const ny = state.channels > 1 ? 1 : 0;
    let px = cx + (sample(0, from - 1) - centre[0]) * scale * size;
    let py = cy - (sample(ny, from - 1) - centre[1]) * scale * size;
    for (let i = from; i < to; i++) {
      const x = cx + (sample(0, i) - centre[0]) * scale * size;
      const y = cy - (sample(ny, i) - centre[1]) * scale * size;
      p.line(px, py, x, y, e);
      px = x;
      py = y;
    }
    p.render(v.ctx);
    graticule(v.ctx, v.w, v.h, size);
  }

  function graticule(ctx, w, h, size) {
    ctx.strokeStyle = 'rgba(120,150,135,0.14)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    const cx = Math.round(w / 2) + 0.5, cy = Math.round(h / 2) + 0.5;
    ctx.moveTo(cx - size, cy);
    ctx.lineTo(cx + size, cy);
    ctx.moveTo(cx, cy - size);
    ctx.lineTo(cx, cy + size);
    ctx.strokeRect(cx - size, cy - size, 2 * size, 2 * size);
    ctx.stroke();
  }

  // Projects a point (already centred and scaled) for the current rotation: o3 is up,
  // yaw turns about it, pitch tilts the view. Returns [x, y] in units of the view size.
  function project(x, y, z, cosY, sinY, cosP, sinP) {
    const xr = x * cosY - y * sinY;
    const yr = x * sinY + y * cosY;
    const sy = z * cosP - yr * sinP;
    const depth = yr * cosP + z * sinP;
    const k = 6 / (6 + depth);
    return [xr * k, sy * k];
  }

  function drawXYZ(v, decay, dt) {
    const p = phosphors.xyz;
    p.resize(v.ctx, v.w, v.h);
    p.decay(decay);
    if (state.spin && !state.dragging) state.yaw += dt * 0.25;
    const { centre, scale } = transform(Math.min(3, state.channels));
    const size = Math.min(v.w, v.h) * 0.4;
    const cx = v.w / 2, cy = v.h / 2;
    const cosY = Math.cos(state.yaw), sinY = Math.sin(state.yaw);
    const cosP = Math.cos(state.pitch), sinP = Math.sin(state.pitch);
    const e = beamEnergy(size);
    const [from, to] = newRange(p);
    const nz = Math.min(2, state.channels - 1), ny = Math.min(1, state.channels - 1);
    const at = (i) => {
      const x = (sample(0, i) - centre[0]) * scale;
      const y = (sample(ny, i) - centre[1]) * scale;
      const z = nz === 2 ? (sample(nz, i) - centre[2]) * scale : 0;
      const [sx, sy] = project(x, y, z, cosY, sinY, cosP, sinP);
      // Z as beam brightness, as on osci-render's Z input: low o3 dim, high o3 bright.
      const b = 0.25 + 0.75 * Math.min(1, Math.max(0, z * 0.5 + 0.5));
      return [cx + sx * size, cy - sy * size, b];
    };
    let [px, py] = at(from - 1);
    for (let i = from; i < to; i++) {
      const [x, y, b] = at(i);
      p.line(px, py, x, y, e * b);
      px = x;
      py = y;
    }
    p.render(v.ctx);
    gizmo(v.ctx, v.w, v.h, cosY, sinY, cosP, sinP);
  }

  // A small axis cross in the corner showing the current orientation.
  function gizmo(ctx, w, h, cosY, sinY, cosP, sinP) {
    const dpr = window.devicePixelRatio || 1;
    const len = 22 * dpr, ox = 34 * dpr, oy = h - 34 * dpr;
    ctx.lineWidth = dpr;
    ctx.font = `${Math.round(10 * dpr)}px system-ui, sans-serif`;
    [[1, 0, 0, 'o1'], [0, 1, 0, 'o2'], [0, 0, 1, 'o3']].forEach(([x, y, z, name], c) => {
      const [sx, sy] = project(x, y, z, cosY, sinY, cosP, sinP);
      ctx.strokeStyle = ctx.fillStyle = COLORS[c];
      ctx.globalAlpha = 0.7;
      ctx.beginPath();
      ctx.moveTo(ox, oy);
      ctx.lineTo(ox + sx * len, oy - sy * len);
      ctx.stroke();
      ctx.fillText(name, ox + sx * len * 1.25 - 5 * dpr, oy - sy * len * 1.25 + 4 * dpr);
    });
    ctx.globalAlpha = 1;
  }

  function frame(time) {
    requestAnimationFrame(frame);
    const dt = state.lastTime ? Math.min(0.1, Math.max(0, (time - state.lastTime) / 1000)) : 1 / 60;
    state.lastTime = time;
    if (state.channels === 0) return;
    const decay = Math.exp(-dt / state.persist);
    if (state.fit) updateFit(dt);
    for (const name of state.views) {
      const v = views[name];
      if (fitCanvas(v) && phosphors[name]) phosphors[name].reset();
      if (name === 'wave') drawWave(v);
      else if (name === 'xy') drawXY(v, decay);
      else drawXYZ(v, decay, dt);
    }
    if (state.total > 0) {
      state.frames++;
      document.body.dataset.frames = String(state.frames);
    }
    document.body.dataset.messages = String(state.messages);
    if (state.rate && document.body.dataset.status === 'live') {
      document.getElementById('status').textContent =
        `live · ${state.channels} ch · ${state.rate} Hz` + (state.stride > 1 ? ` ÷${state.stride}` : '');
    }
  }

  // ---- controls ----

  function bindSelect(id, key) {
    const el = document.getElementById(id);
    // Pick the option nearest to the current value so URL values outside the list work.
    let best = null;
    for (const o of el.options) {
      if (!best || Math.abs(Math.log(o.value / state[key])) < Math.abs(Math.log(best.value / state[key]))) best = o;
    }
    if (best && Number(best.value) === state[key]) el.value = best.value;
    else {
      const o = new Option(String(state[key]), String(state[key]));
      el.add(o);
      el.value = o.value;
    }
    el.addEventListener('change', () => {
      state[key] = Number(el.value);
    });
  }
  bindSelect('time', 'timeMs');
  bindSelect('gain', 'gain');
  bindSelect('persist', 'persist');
  for (const key of ['spin', 'fit']) {
    const el = document.getElementById(key);
    el.checked = state[key];
    el.addEventListener('change', () => {
      state[key] = el.checked;
    });
  }
  for (const b of document.querySelectorAll('button[data-view]')) {
    b.addEventListener('click', () => {
      const name = b.dataset.view;
      if (state.views.has(name)) state.views.delete(name);
      else state.views.add(name);
      state.viewsChosen = true;
      applyViews();
      for (const v of Object.values(views)) v.w = v.h = 0; // re-layout: resize canvases
    });
  }
  const xyzCanvas = views.xyz.canvas;
  let last = null;
  xyzCanvas.addEventListener('pointerdown', (ev) => {
    state.dragging = true;
    last = [ev.clientX, ev.clientY];
    xyzCanvas.setPointerCapture(ev.pointerId);
  });
  xyzCanvas.addEventListener('pointermove', (ev) => {
    if (!state.dragging) return;
    state.yaw += (ev.clientX - last[0]) * 0.01;
    state.pitch = Math.min(1.5, Math.max(-1.5, state.pitch + (ev.clientY - last[1]) * 0.01));
    last = [ev.clientX, ev.clientY];
  });
  const release = () => {
    state.dragging = false;
  };
  xyzCanvas.addEventListener('pointerup', release);
  xyzCanvas.addEventListener('pointercancel', release);

  window.kanonScope = { decode, findRising, defaultViews, project, state };
  applyViews();
  connect();
  requestAnimationFrame(frame);
})();
