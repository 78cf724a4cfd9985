"""hook_sink.py — a webhook receiver on loopback for the notification tests:
it keeps each POST as (path, X-Xsirt-Signature, body) and answers 204, or
500 while fail[0] is true (a receiver that is down)."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class HookSink:
    def __init__(self):
        self.hooks, self.fail = [], [False]
        sink = self

        class Hook(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if sink.fail[0]:
                    self.send_response(500)
                else:
                    sink.hooks.append((self.path, self.headers.get("X-Xsirt-Signature"), body))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
        self.port = self.server.server_address[1]
        self.base = "http://127.0.0.1:%d" % self.port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def shutdown(self):
        self.server.shutdown()
