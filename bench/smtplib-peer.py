"""smtplib yardstick for `make bench ONLY=email`: pushes one message file to an SMTP server
COUNT times over CONNECTIONS kept connections (one process each, so that the GIL does not
limit the peer) and prints `PEER <messages per second>`. Connecting and one warm-up message
per connection happen before the clock starts, as in Billport's own measurement.
Never part of the product.

usage: smtplib-peer.py PORT MESSAGE_FILE COUNT CONNECTIONS
"""
import multiprocessing
import smtplib
import sys
import time


def worker(port, message, count, barrier):
    client = smtplib.SMTP("127.0.0.1", port)
    client.ehlo("peer.billport.test")
    client.sendmail("billing@demo.example", ["zoe@example.com"], message)
    barrier.wait()
    for _ in range(count):
        client.sendmail("billing@demo.example", ["zoe@example.com"], message)
    client.quit()


def main():
    port, path, count, connections = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(path, "rb") as file:
        message = file.read()
    barrier = multiprocessing.Barrier(connections + 1)
    share = count // connections
    processes = [multiprocessing.Process(target=worker, args=(port, message, share, barrier)) for _ in range(connections)]
    for process in processes:
        process.start()
    barrier.wait()
    start = time.perf_counter()
    for process in processes:
        process.join()
        if process.exitcode != 0:
            sys.exit(f"a peer connection failed (exit {process.exitcode})")
    elapsed = time.perf_counter() - start
    print(f"PEER {share * connections / elapsed:.2f}", flush=True)


if __name__ == "__main__":
    main()
