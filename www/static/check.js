/*
 * check.js - the browser check: runs in the user's own browser, reports
 * its raw figures to pinholed over the page's WebSocket, and links to the
 * report that pinholed judges and stores.  Plain JavaScript, no build
 * step, nothing loaded from elsewhere (the page's CSP allows none).
 *
 * Messages (docs/protocol.md, "The check page's WebSocket"):
 *   -> {"type": "hello", "version": 1}
 *   <- {"type": "hello", "address", "profile", "endpoints", "fetch", ...}
 *   -> {"type": "results", "ws": {...}, "fetch": [...], "webrtc": {...}}
 *   <- {"type": "report", "id", "url"}    or {"type": "error", "reason"}
 */
'use strict';

(function () {
	var $ = function (id) { return document.getElementById(id); };

	function say(id, text, cls) {
		var el = $(id);
		el.textContent = text;
		el.className = cls;
	}

	function fact(dl, name, value) {
		var dt = document.createElement('dt');
		var dd = document.createElement('dd');
		dt.textContent = name;
		dd.textContent = value;
		dl.appendChild(dt);
		dl.appendChild(dd);
	}

	function done(state) {
		document.body.setAttribute('data-state', state);
	}

	/*
	 * One host over HTTPS.  mode 'no-cors': the answer is opaque, but the
	 * promise resolves once TLS and an HTTP answer came back, and rejects
	 * on any failure before that (DNS, connection, TLS) or when the
	 * timeout aborts it.
	 */
	function fetchHost(t, timeoutMs) {
		var url = 'https://' + t.host + (t.port === 443 ? '' : ':' + t.port) + '/';
		var ctl = new AbortController();
		var start = performance.now();
		var timedOut = false;
		var timer = setTimeout(function () { timedOut = true; ctl.abort(); },
		    timeoutMs);
		return fetch(url, { mode: 'no-cors', cache: 'no-store',
		    credentials: 'omit', referrerPolicy: 'no-referrer',
		    signal: ctl.signal })
			.then(function () {
				return { host: t.host, port: t.port, ok: true,
				    timed_out: false, ms: performance.now() - start,
				    error: null };
			}, function (e) {
				return { host: t.host, port: t.port, ok: false,
				    timed_out: timedOut, ms: performance.now() - start,
				    error: timedOut ? 'timed out' : String(e && e.name ?
				    e.name + ': ' + e.message : e) };
			})
			.finally(function () { clearTimeout(timer); });
	}

	function showFetch(r) {
		var tr = document.createElement('tr');
		var cells = [r.host + (r.port === 443 ? '' : ':' + r.port),
		    r.ok ? 'reached' : r.timed_out ? 'no answer' : 'failed',
		    Math.round(r.ms) + ' ms'];
		cells.forEach(function (text, i) {
			var td = document.createElement('td');
			td.textContent = text;
			if (i === 1)
				td.className = r.ok ? 'good' : 'bad';
			tr.appendChild(td);
		});
		$('fetch-table').tBodies[0].appendChild(tr);
	}

	function run() {
		var ws = new WebSocket('wss://' + location.host + '/ws');
		var sent = 0, rtt = null;

		ws.onopen = function () {
			say('ws-status', 'Connected; saying hello…', 'pending');
			sent = performance.now();
			ws.send(JSON.stringify({ type: 'hello', version: 1 }));
		};
		ws.onerror = function () {
			say('ws-status', 'The WebSocket to this server failed: the ' +
			    'web phone\'s signalling would fail the same way.', 'bad');
			done('error');
		};
		ws.onclose = function (ev) {
			if (document.body.getAttribute('data-state') === 'loading') {
				say('report-status', 'The server closed the connection (' +
				    ev.code + (ev.reason ? ': ' + ev.reason : '') + ').', 'bad');
				done('error');
			}
		};
		ws.onmessage = function (ev) {
			var m;
			try {
				m = JSON.parse(ev.data);
			} catch (e) {
				return;
			}
			if (m.type === 'hello')
				hello(ws, m, performance.now() - sent);
			else if (m.type === 'report')
				report(m);
			else if (m.type === 'error') {
				say('report-status', 'The server said: ' + m.reason, 'bad');
				done('error');
			}
		};

		function hello(ws, m, ms) {
			var dl = $('ws-facts');
			rtt = ms;
			say('ws-status', 'Works: a secure WebSocket to this server, ' +
			    'round trip ' + Math.round(ms) + ' ms.', 'good');
			fact(dl, 'your public address', m.address);
			fact(dl, 'profile', m.profile.title || m.profile.name);
			fact(dl, 'server time', m.server_time);
			say('webrtc-status', m.webrtc ? 'Not run by this page yet.' :
			    'Not run by this version: the server has no WebRTC peer.',
			    'skip');
			Promise.all(m.fetch.map(function (t) {
				return fetchHost(t, m.fetch_timeout_ms).then(function (r) {
					showFetch(r);
					return r;
				});
			})).then(function (results) {
				say('report-status', 'Storing the report…', 'pending');
				ws.send(JSON.stringify({
					type: 'results',
					ws: { hello_rtt_ms: rtt },
					fetch: results,
					webrtc: { run: false },
					user_agent: navigator.userAgent
				}));
			});
		}

		function report(m) {
			var a = $('report-link');
			a.href = m.url;
			a.hidden = false;
			say('report-status', 'Stored.  Send this link to support: ' +
			    new URL(m.url, location.href).href, 'good');
			done('done');
			ws.close(1000);
		}
	}

	document.addEventListener('DOMContentLoaded', run);
})();
