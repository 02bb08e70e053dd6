"""The public release as SDMX (docs/sdmx.md): SDMX-CSV 2.0 and SDMX-ML 3.0
structure-specific data with the data structure definition alongside, written and read
with pysdmx. Only a release is read, never the store."""
