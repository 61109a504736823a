"""A mail server for the benchmark that answers slowly: it waits DELAY seconds before
greeting each connection, then accepts every message. Counts what it received."""

import asyncio
import threading


class SlowSmtpServer:
    def __init__(self, delay):
        self.delay = delay
        self.connections = 0
        self.messages = 0
        self.ready = threading.Event()
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.run, daemon=True).start()
        self.ready.wait(10)

    def run(self):
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self.talk, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)

    async def talk(self, reader, writer):
        self.connections += 1
        await asyncio.sleep(self.delay)
        writer.write(b"220 slow.bench ESMTP\r\n")
        in_data = False
        while line := await reader.readline():
            if in_data:
                if line == b".\r\n":
                    in_data = False
                    self.messages += 1
                    writer.write(b"250 queued\r\n")
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                in_data = True
                writer.write(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                writer.write(b"221 bye\r\n")
                break
            elif verb == b"EHLO":
                writer.write(b"250 slow.bench\r\n")
            else:
                writer.write(b"250 ok\r\n")
            await writer.drain()
        writer.close()
