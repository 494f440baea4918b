// Hangfire's two graphs keep the shape of their canvas (1140 × 210) at any width: on a phone they were strips 66 px tall.
// Chart.js keeps a chart's aspect ratio, which no stylesheet reaches, so below 768 px each chart takes a taller one (2:1)
// before it is first drawn, and every chart changes shape when the screen crosses that width; wider screens keep Hangfire's.
// This script follows Chart.js in Hangfire's bundle and runs before the page creates its charts.
(function () {
    if (!window.Chart) return;
    var narrow = window.matchMedia('(max-width: 767px)');
    function shape(chart) {
        if (chart.hitlWideRatio === undefined) chart.hitlWideRatio = chart.aspectRatio;
        var ratio = narrow.matches ? 2 : chart.hitlWideRatio;
        if (chart.aspectRatio === ratio) return false;
        chart.aspectRatio = ratio;
        return true;
    }
    // The history graph's hours are skipped only once they touch: in Spanish ("13:00", "15:00") on a phone they ran together
    // into one string. A gap of their own keeps every other one. Its week names each day in full ("1 de dic. de 2026"), which
    // left a phone room for one: a phone names them short ("1/12/2026").
    function times(chart) {
        var changed = false;
        (chart.options.scales && chart.options.scales.xAxes || []).forEach(function (axis) {
            axis.ticks = axis.ticks || {};
            axis.ticks.autoSkipPadding = 12;
            var formats = axis.time && axis.time.displayFormats;
            if (!formats || !formats.day) return;
            if (axis.hitlWideDay === undefined) axis.hitlWideDay = formats.day;
            var day = narrow.matches ? 'l' : axis.hitlWideDay;
            if (formats.day !== day) { formats.day = day; changed = true; }
        });
        return changed;
    }
    window.Chart.plugins.register({ beforeInit: function (chart) { shape(chart); times(chart); } });
    narrow.addEventListener('change', function () {
        Object.keys(window.Chart.instances).forEach(function (id) {
            var chart = window.Chart.instances[id];
            if (shape(chart)) chart.resize();
            if (times(chart)) chart.update();
        });
    });
})();

// The realtime graph's times slide along its axis, which cuts them at the plot's edges: on a phone, whose plot has room for
// four, most of them read ":45 AM" or "9:30". A time is shown once it fits whole between the edges, and goes before it is cut.
(function () {
    var Realtime = window.Chart && window.Chart.scaleService && window.Chart.scaleService.getScaleConstructor('realtime');
    if (!Realtime || typeof Realtime.prototype._computeLabelItems !== 'function') return;
    var labelItems = Realtime.prototype._computeLabelItems;
    Realtime.prototype._computeLabelItems = function () {
        var items = labelItems.apply(this, arguments);
        var area = this.chart.chartArea, ctx = this.ctx;
        if (!this.isHorizontal() || !area || !ctx) return items;
        return items.filter(function (item) {
            ctx.save();
            if (item.font && item.font.string) ctx.font = item.font.string;
            var half = ctx.measureText(String(item.label)).width / 2;
            ctx.restore();
            return item.x - half >= area.left && item.x + half <= area.right;
        });
    };
})();

// Hangfire recolours both graphs when the system turns dark or light, and on a page without them (jobs, retries, recurring
// jobs, servers) it threw "Cannot read properties of null". Such a page gets stand-ins with nothing to recolour; this runs
// after Hangfire has built the page, on the same ready event.
if (window.jQuery) {
    window.jQuery(function () {
        var page = window.Hangfire && window.Hangfire.page;
        if (!page) return;
        var none = { changeDatasetColorScheme: function () { } };
        if (!page.realtimeGraph) page.realtimeGraph = none;
        if (!page.historyGraph) page.historyGraph = none;
    });
}
