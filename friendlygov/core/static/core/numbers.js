// Live read-back of number fields ("Đọc là: 1.100"), mirroring friendlygov/rules/numbers.py:
// "." groups thousands, "," marks the decimals. The server reads the value again and is authoritative.
(function () {
  "use strict";
  var VN = /^([-+]?)(\d+|[1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d{0,2}(?: \d{3})+)(?:,(\d+))?$/;
  var UNITS = { "%": /\s*%\s*$/, "đồng": /\s*(đồng|đ|vnđ|vnd)\s*$/i };

  function normalise(text) {
    return text.replace(/[\u00a0\u202f\u2009\u2007]/g, " ").replace(/\u2212/g, "-").trim().split(/\s+/).join(" ");
  }

  // {negative, whole, fraction} as digit strings (no float arithmetic), or null when not readable
  function read(text) {
    var m = VN.exec(normalise(text));
    if (!m) { return null; }
    var whole = m[2].replace(/[. ]/g, "").replace(/^0+(?=\d)/, "");
    var fraction = (m[3] || "").replace(/0+$/, "");
    var zero = /^0*$/.test(whole) && fraction === "";
    return { negative: m[1] === "-" && !zero, whole: whole, fraction: fraction };
  }

  function format(number, grouping) {
    var whole = number.whole;
    if (grouping) {
      var groups = [];
      while (whole.length > 3) { groups.unshift(whole.slice(-3)); whole = whole.slice(0, -3); }
      groups.unshift(whole);
      whole = groups.join(".");
    }
    return (number.negative ? "-" : "") + whole + (number.fraction ? "," + number.fraction : "");
  }

  function update(input) {
    var out = document.getElementById(input.id + "-readback");
    if (!out) { return; }
    var unit = input.getAttribute("data-unit") || "";
    var text = input.value;
    if (UNITS[unit]) { text = text.replace(UNITS[unit], ""); }
    if (!text.trim()) { out.textContent = ""; out.hidden = true; return; }
    var number = read(text);
    var message;
    if (!number) {
      message = out.getAttribute("data-unreadable");
    } else {
      var shown = format(number, input.getAttribute("data-grouping") !== "0") + (unit === "%" ? "%" : unit ? " " + unit : "");
      var template = number.fraction && input.getAttribute("data-vn-number") === "whole"
        ? out.getAttribute("data-not-whole") : out.getAttribute("data-read-as");
      message = template.replace("%(value)s", shown);
    }
    out.textContent = message;
    out.hidden = false;
  }

  document.addEventListener("input", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("input[data-vn-number]")) { update(el); }
  });
})();
