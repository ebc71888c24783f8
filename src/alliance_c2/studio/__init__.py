"""The analyst's studio: edit an arrangement in the browser and watch its level, its law and the answer change.

`alliance-c2 studio` serves it alone (`app.create_app`); `app.mount` adds it to another FastAPI server. The
page edits through forms; every edit is validated as `alliance-c2 validate` validates a file (`state`) and
recomputed by the library's own functions against today (`compute`).
"""
