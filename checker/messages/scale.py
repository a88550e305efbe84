"""Messages: large logs (Parquet input, the Dask engine)."""

MESSAGES: dict[str, dict[str, str]] = {
    "parquet.needs_pyarrow": {
        "id": "membaca Parquet memerlukan pyarrow: pip install 'sopcheck[parquet]'",
        "en": "reading Parquet needs pyarrow: pip install 'sopcheck[parquet]'",
    },
    "parquet.unreadable": {
        "id": "bukan berkas Parquet yang dapat dibaca: {detail}",
        "en": "not a readable Parquet file: {detail}",
    },
    "dask.needs_dask": {
        "id": "--engine dask memerlukan Dask: pip install 'sopcheck[dask]'",
        "en": "--engine dask needs Dask: pip install 'sopcheck[dask]'",
    },
    "dask.no_files": {
        "id": "tidak ada berkas CSV atau Parquet yang cocok dengan '{pattern}'",
        "en": "no CSV or Parquet file matches '{pattern}'",
    },
    "dask.mixed_formats": {
        "id": "berkas-berkas log harus semuanya CSV atau semuanya Parquet; ditemukan: {formats}",
        "en": "the log files must be all CSV or all Parquet; found: {formats}",
    },
    "dask.unsupported_format": {
        "id": "--engine dask membaca CSV atau Parquet; '{path}' bukan keduanya",
        "en": "--engine dask reads CSV or Parquet; '{path}' is neither",
    },
    "dask.unreadable": {
        "id": "Dask tidak dapat membaca log: {detail}",
        "en": "Dask cannot read the log: {detail}",
    },
    "dask.columns_differ": {
        "id": "kolom-kolom berkas ini berbeda dengan kolom-kolom '{first}'; semua berkas log harus berkolom sama",
        "en": "this file's columns differ from those of '{first}'; all the log files must have the same columns",
    },
    "dask.scheduler_unreachable": {
        "id": "penjadwal Dask di {address} tidak dapat dihubungi: {detail}",
        "en": "cannot reach the Dask scheduler at {address}: {detail}",
    },
    "dask.scheduler_without_engine": {
        "id": "--scheduler hanya berlaku dengan --engine dask",
        "en": "--scheduler applies only with --engine dask",
    },
}
