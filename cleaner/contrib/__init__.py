"""Adapters for the tools people clean pages with at scale.

- :mod:`cleaner.contrib.scrapy`: ``CleanerPipeline``, a Scrapy item pipeline
  (``pip install 'cleaner[scrapy]'``).
- :mod:`cleaner.contrib.dask`: ``clean_bag`` and ``clean_partition`` for Dask bags and
  dataframes, on one machine or a cluster (``pip install 'cleaner[dask]'``).

Each module imports its tool only when used; ``import cleaner`` never needs them.
"""
