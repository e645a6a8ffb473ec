/*
 * check.js - the browser check: runs in the user's own browser, reports
 * its raw figures to pinholed over the page's WebSocket, and links to the
 * report that pinholed judges and stores.  Plain JavaScript, no build
 * step, nothing loaded from elsewhere (the page's CSP allows none).
 *
 * Messages (docs/protocol.md, "The check page's WebSocket"):
 *   -> {"type": "hello", "version": 1}
 *   <- {"type": "hello", "address", "profile", "endpoints", "fetch", ...}
 *   -> {"type": "offer", "sdp"}          (when the hello says webrtc)
 *   <- {"type": "answer", "sdp"}
 *   -> {"type": "relay"}                 (when the hello says relay)
 *   <- {"type": "relay", "urls", "username", "credential", "lifetime"}
 *   -> {"type": "offer", "sdp", "relay"} (per transport: udp, tcp, tls)
 *   <- {"type": "answer", "sdp"}
 *   -> {"type": "results", "ws": {...}, "fetch": [...], "webrtc": {...},
 *       "relay": [...]}
 *   <- {"type": "report", "id", "url", "verdict", "advice"}
 *                                        or {"type": "error", "reason"}
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

	/* A host's row, shown as its fetch starts: "checking…" until
	 * showFetch() fills it in. */
	function fetchRow(t) {
		var tr = document.createElement('tr');
		[t.host + (t.port === 443 ? '' : ':' + t.port), 'checking…', '']
		    .forEach(function (text, i) {
			var td = document.createElement('td');
			td.textContent = text;
			if (i === 1)
				td.className = 'pending';
			tr.appendChild(td);
		});
		$('fetch-table').tBodies[0].appendChild(tr);
		return tr;
	}

	function showFetch(tr, r) {
		var td = tr.cells[1];
		td.textContent = r.ok ? 'reached' : r.timed_out ? 'no answer' :
		    'failed';
		td.className = r.ok ? 'good' : 'bad';
		tr.cells[2].textContent = Math.round(r.ms) + ' ms';
	}

	var VERDICT_SAYS = {
		pass: 'PASS: the web phone should work from this browser and ' +
		    'this network.',
		warn: 'WARN: the web phone should work from this browser, ' +
		    'with the warnings below.',
		fail: 'FAIL: the web phone will not work fully from this ' +
		    'browser and this network.  What to do:',
		skip: 'Nothing could be tested from this browser.',
		error: 'ERROR: some tests could not finish; their results ' +
		    'are incomplete.'
	};

	/* The overall verdict and what to do, from the stored report. */
	function showVerdict(verdict, advice) {
		var ul = $('advice');
		$('s-verdict').hidden = false;
		$('s-verdict').setAttribute('data-verdict', verdict);
		say('verdict', VERDICT_SAYS[verdict] || verdict,
		    verdict === 'pass' ? 'good' : verdict === 'warn' ? 'warn' :
		    verdict === 'skip' ? 'skip' : 'bad');
		(advice || []).forEach(function (a) {
			var li = document.createElement('li');
			var b = document.createElement('b');
			b.textContent = a.id + ' (' + a.verdict + '): ';
			li.appendChild(b);
			li.appendChild(document.createTextNode(a.summary || ''));
			if (a.remedy) {
				var p = document.createElement('p');
				p.textContent = a.remedy;
				li.appendChild(p);
			}
			ul.appendChild(li);
		});
	}

	var ICE_WAIT_MS = 15000, MEDIA_MS = 8000, ANSWER_WAIT_MS = 10000;
	var CLICK_WAIT_MS = 20000, RELAY_MEDIA_MS = 5000, GATHER_WAIT_MS = 10000;
	var RELAY_ICE_WAIT_MS = 10000;	/* the relay was reached already */

	function wait(ms) {
		return new Promise(function (resolve) { setTimeout(resolve, ms); });
	}

	/*
	 * Resolves with whether the audio runs: a browser may start it only
	 * after a click on the page (its autoplay policy); without audio a
	 * browser sends no RTP at all, which is no finding about the network.
	 */
	function audioRunning(ac) {
		return Promise.race([ac.resume().then(function () {
			return ac.state === 'running';
		}, function () {
			return false;
		}), wait(300).then(function () {
			return false;
		})]).then(function (ok) {
			var b = $('webrtc-start');
			if (ok || ac.state === 'running')
				return true;
			b.hidden = false;
			say('webrtc-status', 'This browser starts audio only after a ' +
			    'click: press the button to test the audio.', 'pending');
			return new Promise(function (resolve) {
				var timer = setTimeout(function () {
					b.hidden = true;
					resolve(false);
				}, CLICK_WAIT_MS);
				b.addEventListener('click', function () {
					clearTimeout(timer);
					b.hidden = true;
					ac.resume().then(function () {
						resolve(ac.state === 'running');
					}, function () {
						resolve(false);
					});
				}, { once: true });
			});
		});
	}

	/*
	 * Resolves once ICE is connected; rejects with its state otherwise.
	 * With 'pairs' (a relay-only connection), it also rejects, with
	 * 'pairs_failed', once every candidate pair the browser made has
	 * failed or none is left, where the ICE state may stay 'checking'
	 * until the wait ends.
	 */
	function iceConnected(pc, ms, pairs) {
		return new Promise(function (resolve, reject) {
			var poll = null, seen = false, done = false;
			var timer = setTimeout(function () {
				finish(reject, { state: 'timeout' });
			}, ms);
			function finish(f, v) {
				if (done)
					return;
				done = true;
				clearTimeout(timer);
				if (poll !== null)
					clearInterval(poll);
				f(v);
			}
			function check() {
				var st = pc.iceConnectionState;
				if (st === 'connected' || st === 'completed')
					finish(resolve, st);
				else if (st === 'failed' || st === 'closed')
					finish(reject, { state: st });
			}
			function checkPairs(stats) {
				var n = 0, failed = 0;
				stats.forEach(function (s) {
					if (s.type !== 'candidate-pair')
						return;
					n++;
					if (s.state === 'failed')
						failed++;
				});
				seen = seen || n > 0;
				if (seen && failed === n && !done)
					finish(reject, { state: pc.iceConnectionState,
					    pairs_failed: true });
			}
			if (pairs)
				poll = setInterval(function () {
					pc.getStats().then(checkPairs, function () {});
				}, 250);
			pc.addEventListener('iceconnectionstatechange', check);
			check();
		});
	}

	function sec2ms(v) {
		return typeof v === 'number' ? v * 1000 : null;
	}

	/*
	 * The figures of getStats() that the report needs, into res.  Returns
	 * ' IPv4' or ' IPv6', the family of the selected pair's remote
	 * candidate, for the page's own line ('' when not known); the
	 * report's is pinholed's view of the pair.
	 */
	function readStats(stats, res) {
		var pair = null, byId = {}, fam = '';
		stats.forEach(function (s) {
			byId[s.id] = s;
		});
		stats.forEach(function (s) {
			if (s.type === 'transport' && s.selectedCandidatePairId)
				pair = byId[s.selectedCandidatePairId] || pair;
		});
		stats.forEach(function (s) {
			if (!pair && s.type === 'candidate-pair' && s.nominated &&
			    s.state === 'succeeded')
				pair = s;
			if (s.type === 'inbound-rtp' && s.kind === 'audio')
				res.inbound = { packets_received: s.packetsReceived,
				    packets_lost: s.packetsLost,
				    jitter_ms: sec2ms(s.jitter) };
			if (s.type === 'outbound-rtp' && s.kind === 'audio')
				res.outbound = { packets_sent: s.packetsSent };
			if (s.type === 'remote-inbound-rtp' && s.kind === 'audio')
				res.remote_inbound = { fraction_lost: s.fractionLost,
				    jitter_ms: sec2ms(s.jitter),
				    rtt_ms: sec2ms(s.roundTripTime) };
		});
		if (pair) {
			var lc = byId[pair.localCandidateId] || {};
			var rc = byId[pair.remoteCandidateId] || {};
			var ra = rc.address || rc.ip || '';
			fam = ra ? (ra.indexOf(':') >= 0 ? ' IPv6' : ' IPv4') : '';
			res.pair = { local_type: lc.candidateType,
			    remote_type: rc.candidateType,
			    protocol: lc.protocol || rc.protocol,
			    local_port: lc.port, remote_port: rc.port,
			    rtt_ms: sec2ms(pair.currentRoundTripTime) };
		}
		return fam;
	}

	var PAIR_STATES = ['failed', 'frozen', 'waiting', 'in-progress',
	    'succeeded'];

	/*
	 * The browser's own ICE checks per remote candidate (pinholed's
	 * ports), into res.candidates: its candidate-pair stats summed over
	 * its local candidates, and the most advanced pair state.  A browser
	 * that sees no NAT on its path stops checking at the first pair that
	 * answers: the judge reads a port the browser sent no check to as
	 * not tried, one it sent checks to and pinholed never saw as blocked.
	 */
	function readChecks(stats, res) {
		var byId = {}, by = {};
		stats.forEach(function (s) {
			byId[s.id] = s;
		});
		res.candidates = [];
		stats.forEach(function (s) {
			if (s.type !== 'candidate-pair')
				return;
			var rc = byId[s.remoteCandidateId] || {};
			if (typeof rc.port !== 'number' || !rc.protocol)
				return;
			var key = rc.protocol + ' ' + rc.port, c = by[key];
			if (!c) {
				c = by[key] = { port: rc.port, protocol: rc.protocol,
				    requests_sent: 0, responses_received: 0,
				    state: null };
				res.candidates.push(c);
			}
			c.requests_sent += s.requestsSent || 0;
			c.responses_received += s.responsesReceived || 0;
			if (PAIR_STATES.indexOf(s.state) >
			    PAIR_STATES.indexOf(c.state))
				c.state = s.state;
		});
	}

	/*
	 * Resolves once ICE gathering is complete, or after ms: a relay-only
	 * connection's candidates are all relay candidates, so whether one
	 * came says whether the relay gave an allocation.
	 */
	function gathered(pc, ms) {
		return new Promise(function (resolve) {
			var timer = setTimeout(resolve, ms);
			function check() {
				if (pc.iceGatheringState === 'complete') {
					clearTimeout(timer);
					resolve();
				}
			}
			pc.addEventListener('icegatheringstatechange', check);
			check();
		});
	}

	/*
	 * WebRTC with pinholed as the far end: an oscillator's audio (no
	 * microphone), the offer over the WebSocket, ICE, MEDIA_MS of audio
	 * both ways, then getStats().  With 'relay' ({transport, url,
	 * username, credential}), a relay-only connection through that one
	 * TURN URI: its gathering first (a relay candidate, or the first
	 * icecandidateerror), RELAY_MEDIA_MS of audio, and what it says goes
	 * to 'show' instead of the page's WebRTC line.  Resolves with the
	 * results' webrtc member (or relay entry: never the credentials),
	 * never rejects.
	 */
	function runWebRTC(ws, answer, relay, show) {
		var res = { run: true, audio: false, connected: false, state: 'new',
		    error: null, connect_ms: null, media_ms: null };
		var ac = null, pc = null, release = null, t0, t1;
		var mediaMs = relay ? RELAY_MEDIA_MS : MEDIA_MS;

		show = show || function (text, cls) {
			say('webrtc-status', text, cls);
		};
		if (relay) {
			res.transport = relay.transport;
			res.url = relay.url;
			res.candidate = false;
			res.error_code = null;
			res.error_text = null;
		}

		try {
			var Ctx = window.AudioContext || window.webkitAudioContext;
			ac = new Ctx();
			var osc = ac.createOscillator(), gain = ac.createGain();
			var dst = ac.createMediaStreamDestination();
			gain.gain.value = 0.05;
			osc.connect(gain);
			gain.connect(dst);
			osc.start();
			pc = new RTCPeerConnection(relay ? { iceServers: [{
			    urls: [relay.url], username: relay.username,
			    credential: relay.credential }],
			    iceTransportPolicy: 'relay', bundlePolicy: 'max-bundle',
			    rtcpMuxPolicy: 'require' } : { iceServers: [],
			    bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
			pc.addEventListener('icecandidate', function (e) {
				if (e.candidate && / typ relay( |$)/.test(
				    e.candidate.candidate))
					res.candidate = true;
			});
			pc.addEventListener('icecandidateerror', function (e) {
				if (res.error_code === null && relay) {
					res.error_code = e.errorCode;
					res.error_text = String(e.errorText || '');
				}
			});
			dst.stream.getAudioTracks().forEach(function (t) {
				pc.addTrack(t, dst.stream);
			});
		} catch (e) {
			res.run = !!pc;
			res.error = String(e && e.name ? e.name + ': ' + e.message : e);
			return Promise.resolve(res);
		}
		return audioRunning(ac).then(function (on) {
			res.audio = on;
			if (!on)
				throw { state: 'new', audio: false };
			show('Connecting the audio…', 'pending');
			return pc.createOffer();
		}).then(function (o) {
			return pc.setLocalDescription(o);
		}).then(function () {
			if (!relay)
				return;
			return gathered(pc, GATHER_WAIT_MS).then(function () {
				if (!res.candidate)
					throw { state: 'new', step: 'gather' };
				if (!relay.turn)
					return null;
				show('A relay candidate came; waiting for the ' +
				    'other relays\u2019 calls…', 'pending');
				return relay.turn();
			}).then(function (f) {
				release = f;
				show('Connecting the audio through the relay…',
				    'pending');
			});
		}).then(function () {
			var m = { type: 'offer', sdp: pc.localDescription.sdp };

			if (relay)
				m.relay = relay.transport;
			t0 = performance.now();
			ws.send(JSON.stringify(m));
			return answer(ANSWER_WAIT_MS);
		}).then(function (sdp) {
			return pc.setRemoteDescription({ type: 'answer', sdp: sdp });
		}).then(function () {
			return iceConnected(pc, relay ? RELAY_ICE_WAIT_MS : ICE_WAIT_MS,
			    !!relay);
		}).then(function (st) {
			res.connected = true;
			res.state = st;
			t1 = performance.now();
			res.connect_ms = t1 - t0;
			show('Connected; audio both ways for ' + mediaMs / 1000 +
			    ' s…', 'pending');
			return wait(mediaMs);
		}).then(function () {
			res.media_ms = performance.now() - t1;
			res.state = pc.iceConnectionState;
			return pc.getStats();
		}).then(function (stats) {
			var fam = readStats(stats, res);
			show(relay ? 'Relays media: audio crossed the relay; the ' +
			    'report gives its quality.' : 'Audio flowed both ways ' +
			    'over' + fam + ' ' + ((res.pair && res.pair.protocol) || 'udp') +
			    '; the report gives its quality.', 'good');
		}).catch(function (e) {
			if (e && e.audio === false) {
				show('Not run: the audio was not started.', 'skip');
				return;
			}
			if (e && e.step === 'gather') {
				show('No relay candidate: the relay was not reached or ' +
				    'refused the credentials' + (res.error_code ?
				    ' (error ' + res.error_code + (res.error_text ? ' ' +
				    res.error_text : '') + ')' : '') + '.', 'bad');
				return;
			}
			if (e && e.state)
				res.state = e.state;
			if (e && e.pairs_failed)
				res.pairs_failed = true;
			if (!e || !e.state)
				res.error = String(e && e.name ? e.name + ': ' +
				    e.message : e);
			show(relay ? 'A relay candidate came, but the audio did ' +
			    'not connect through the relay (' + (res.error || 'ICE ' +
			    res.state + (res.pairs_failed ? ', every candidate ' +
			    'pair failed' : '')) + ').' : 'The audio did not connect (' +
			    (res.error || 'ICE ' + res.state) + '): calls from this ' +
			    'browser would have no sound.', 'bad');
		}).then(function () {
			/* Whatever came of it: the checks it sent, per port. */
			return pc.getStats().then(function (stats) {
				readChecks(stats, res);
			}, function () {});
		}).then(function () {
			pc.close();
			if (ac)
				ac.close().catch(function () {});
			if (release)
				release();
			return res;
		});
	}

	var RELAY_NAMES = { udp: 'TURN over UDP', tcp: 'TURN over TCP',
	    tls: 'TURN over TLS (turns)' };

	function relayTransport(url) {
		if (/^turns:/.test(url))
			return 'tls';
		return /\?transport=tcp$/.test(url) ? 'tcp' : 'udp';
	}

	/* One line of the relay list, its status filled in as it runs. */
	function relayRow(transport, url) {
		var li = document.createElement('li');
		var b = document.createElement('b');
		var span = document.createElement('span');
		b.textContent = RELAY_NAMES[transport] + ' (' + url + '): ';
		span.textContent = 'waiting…';
		span.className = 'pending';
		li.setAttribute('data-transport', transport);
		li.appendChild(b);
		li.appendChild(span);
		$('relay-list').appendChild(li);
		return function (text, cls) {
			span.textContent = text;
			span.className = cls;
			li.setAttribute('data-result', cls);
		};
	}

	/*
	 * The relays, after the direct test: credentials from the server,
	 * then one relay-only connection per transport (the first URI of
	 * each), all gathering at once: an unreachable relay's wait for its
	 * candidate runs beside the others' calls.  The calls themselves go
	 * one at a time (the server's peer is one per page), in the order
	 * their candidates came: relay.turn gives each its turn.  Resolves
	 * with the results' relay entries, in the order of the URIs.
	 */
	function runRelays(ws, ask, answer, direct) {
		var out = [];
		return ask('relay', ANSWER_WAIT_MS).then(function (m) {
			var seen = {}, runs = [], lock = Promise.resolve();
			function turn() {
				var prev = lock, release;
				lock = new Promise(function (resolve) {
					release = resolve;
				});
				return prev.then(function () {
					return release;
				});
			}
			(m.urls || []).forEach(function (url) {
				var t = relayTransport(url), i = runs.length;
				if (seen[t])
					return;
				seen[t] = true;
				runs.push(runWebRTC(ws, answer, { transport: t, url: url,
				    username: m.username, credential: m.credential,
				    turn: turn }, relayRow(t, url)).then(function (r) {
					out[i] = r;
				}));
			});
			return Promise.all(runs);
		}).then(function () {
			var carried = out.filter(function (r) {
				return r.connected && r.inbound &&
				    r.inbound.packets_received > 0;
			}).map(function (r) {
				return RELAY_NAMES[r.transport];
			});
			var directUdp = direct.connected && direct.pair &&
			    direct.pair.protocol === 'udp';
			if (direct.run && direct.audio && !directUdp && carried.length)
				say('relay-status', 'Relay needed: direct media over UDP ' +
				    'failed, and ' + carried.join(', ') + ' carried it.',
				    'warn');
			else if (carried.length)
				say('relay-status', 'The relays carry media: ' +
				    carried.join(', ') + '.', 'good');
			else
				say('relay-status', 'No relay carried media.', 'bad');
			return out;
		}, function (e) {
			say('relay-status', 'Not run: ' + (e && e.message ? e.message :
			    String(e)) + '.', 'skip');
			return out;
		});
	}

	function run() {
		var ws = new WebSocket('wss://' + location.host + '/ws');
		var sent = 0, rtt = null, answered = null;

		/* Sends a message of 'type' and resolves with the server's
		 * answer of that type, within ms; rejects on its error. */
		function ask(type, ms) {
			if (type !== 'answer')
				ws.send(JSON.stringify({ type: type }));
			return new Promise(function (resolve, reject) {
				var timer = setTimeout(function () {
					answered = null;
					reject(new Error('no answer from the server'));
				}, ms);
				answered = function (m) {
					clearTimeout(timer);
					answered = null;
					if (m.type === type)
						resolve(m);
					else
						reject(new Error(m.reason));
				};
			});
		}

		/* The server's answer to our offer, within ms. */
		function answer(ms) {
			return ask('answer', ms).then(function (m) {
				return m.sdp;
			});
		}

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
			else if ((m.type === 'answer' || m.type === 'relay' ||
			    m.type === 'error') && answered)
				answered(m);
			else if (m.type === 'error') {
				say('report-status', 'The server said: ' + m.reason, 'bad');
				$('s-verdict').hidden = false;
				say('verdict', 'No verdict: the server could not judge ' +
				    'and store the results (' + m.reason + ').', 'bad');
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
			if (!m.webrtc)
				say('webrtc-status', 'Not run: the server has no ' +
				    'WebRTC peer.', 'skip');
			var media = m.webrtc && typeof RTCPeerConnection !==
			    'undefined' ? runWebRTC(ws, answer) :
			    Promise.resolve({ run: false });
			var relays = media.then(function (direct) {
				if (!m.relay || !m.webrtc ||
				    typeof RTCPeerConnection === 'undefined') {
					say('relay-status', 'Not run: the server names no ' +
					    'TURN relays.', 'skip');
					return undefined;
				}
				return runRelays(ws, ask, answer, direct);
			});
			Promise.all([Promise.all(m.fetch.map(function (t) {
				var tr = fetchRow(t);
				return fetchHost(t, m.fetch_timeout_ms).then(function (r) {
					showFetch(tr, r);
					return r;
				});
			})), media, relays]).then(function (all) {
				var results = all[0];
				say('report-status', 'Storing the report…', 'pending');
				ws.send(JSON.stringify({
					type: 'results',
					ws: { hello_rtt_ms: rtt },
					fetch: results,
					webrtc: all[1],
					relay: all[2],
					user_agent: navigator.userAgent
				}));
			});
		}

		function report(m) {
			var a = $('report-link');
			showVerdict(m.verdict, m.advice);
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
