def fine():
    return 1


# ruleid: audit.parse-error
def broken(:
    return 2
