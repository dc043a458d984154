// Filters over data embedded in the page (no server): each row carries data-f, a list of
// [year, suite, severity, review status, count] of its failed checks; findings carry data-*.
(function () {
  "use strict";
  var ids = ["year", "suite", "severity", "status"];
  function current() {
    var f = {};
    ids.forEach(function (k) { var el = document.getElementById("f-" + k); f[k] = el ? el.value : ""; });
    return f;
  }
  // "open" (the default) counts stale decisions too: a stale decision closes nothing.
  function statusMatches(s, want) { return !want || want === "all" || s === want || (want === "open" && s === "stale"); }
  function matches(e, f) {
    return (!f.year || String(e[0]) === f.year) && (!f.suite || e[1] === f.suite) &&
           (!f.severity || e[2] === f.severity) && statusMatches(e[3], f.status);
  }
  function apply() {
    var f = current();
    var active = f.year || f.suite || f.severity || f.status !== "open";
    document.querySelectorAll("[data-f]").forEach(function (row) {
      var list = JSON.parse(row.getAttribute("data-f"));
      var total = 0, bySuite = {};
      list.forEach(function (e) {
        if (matches(e, f)) { total += e[4]; bySuite[e[1]] = (bySuite[e[1]] || 0) + e[4]; }
      });
      row.querySelectorAll("[data-count]").forEach(function (td) {
        var k = td.getAttribute("data-count");
        var n = k === "all" ? total : (bySuite[k] || 0);
        td.textContent = String(n);
        td.classList.toggle("zero", n === 0);
      });
      var year = row.getAttribute("data-year");
      var hide = (f.year && year && year !== f.year) || (active && total === 0);
      row.hidden = !!hide;
    });
    document.querySelectorAll("[data-suite]").forEach(function (el) {
      var e = [el.getAttribute("data-year"), el.getAttribute("data-suite"),
               el.getAttribute("data-severity"), el.getAttribute("data-status"), 1];
      el.hidden = !matches(e, f);
    });
  }
  document.querySelectorAll("select.filter").forEach(function (s) { s.addEventListener("change", apply); });
  // The page is written with the default filters applied (open findings); recompute only
  // when the browser restored other selections (back/forward).
  var f0 = current();
  if (f0.year || f0.suite || f0.severity || (f0.status && f0.status !== "open")) apply();
})();
