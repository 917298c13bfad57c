"""The Django side of OCDS: releases on every public change, compiled records, API, bulk files."""
