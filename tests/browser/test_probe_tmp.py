def test_probe(open_page):
    w=open_page("?surface=canyon&steps=300&run=sgd&run=momentum&run=adam", viewport=(1500,950))
    r = w.page.evaluate("""async () => {
      const P = window.Plotly;
      const out = {snap: typeof P.Snapshot, toSVG: typeof (P.Snapshot && P.Snapshot.toSVG), version: P.version};
      const plots = await import('/static/js/plots.js');
      const ctx = window.optviz.figureContext(window.optviz.runs());
      const fig = (f) => { const g = plots.mainFigure({...ctx, frame: f, present: true, legend: true, arrows: false});
                           g.data = g.data.slice(1); g.layout = {...g.layout, width: 1280, height: 700, paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)'}; return g; };
      const load = (url) => new Promise((res, rej) => { const i = new Image(); i.onload = () => res(i); i.onerror = rej; i.src = url; });
      let t = performance.now();
      for (let f = 0; f < 20; f++) { await load(await P.toImage(fig(f*10), {format: 'png', width: 1280, height: 700})); }
      out.toImagePng = (performance.now() - t) / 20;
      t = performance.now();
      for (let f = 0; f < 20; f++) { await load(await P.toImage(fig(f*10), {format: 'svg', width: 1280, height: 700})); }
      out.toImageSvg = (performance.now() - t) / 20;
      const gd = document.createElement('div'); gd.style.cssText = 'position:fixed;left:-5000px;top:0;width:1280px;height:700px';
      document.body.append(gd);
      await P.newPlot(gd, fig(0).data, fig(0).layout, {staticPlot: true});
      t = performance.now(); let tr = 0, ts = 0;
      for (let f = 0; f < 20; f++) { let a = performance.now(); const g = fig(f*10); await P.react(gd, g.data, g.layout, {staticPlot: true}); tr += performance.now()-a;
        a = performance.now(); const svg = P.Snapshot.toSVG(gd); ts += performance.now()-a;
        await load('data:image/svg+xml,' + encodeURIComponent(svg)); }
      out.react = (performance.now() - t) / 20; out.reactOnly = tr/20; out.toSVG = ts/20;
      return out;
    }""")
    print(r)
