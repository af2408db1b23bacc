"""The signing place the renderer marks in the documents it makes (no imports: shared by the Decree 30
renderer and the signing code).

`friendlygov.documents.render` puts two empty Word bookmarks around the signer's name in the signature
block; LibreOffice exports them as PDF named destinations (`ExportBookmarksToPDFDestination`,
`friendlygov.documents.pdf`), each with its page and its point on the page. The signature goes in the space
above the name, centred between the two points; nothing of it shows in the text of the document.
"""

SIGN_PLACE_START = "FGSignPlaceStart"
SIGN_PLACE_END = "FGSignPlaceEnd"
