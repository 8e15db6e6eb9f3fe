"""The LOOP path's pure core: detection, contributors, digest content, action review. No I/O: the
series come in as plain values (scanned through the same compiler and engine as answers).

May import: catalog, query, answer, time, present, text.
"""
