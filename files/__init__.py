"""File formats: directive and unit files, attachments, documents and workbooks."""
