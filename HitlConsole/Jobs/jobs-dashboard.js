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
    window.Chart.plugins.register({ beforeInit: function (chart) { shape(chart); } });
    narrow.addEventListener('change', function () {
        Object.keys(window.Chart.instances).forEach(function (id) {
            var chart = window.Chart.instances[id];
            if (shape(chart)) chart.resize();
        });
    });
})();
