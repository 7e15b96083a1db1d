"""What the benchmark scripts read about the server process from /proc."""


def rss_mib(pid):
    """The process's resident memory now, MiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0
