"""In-page JavaScript the pixel-measuring tests share: a plot or a PNG drawn to a canvas."""
import base64

# Function declarations to put at the start of an evaluated function's body.
# decoded(url): a PNG (a data: URL of an export or a screenshot) drawn on a canvas.
DECODED = """async function decoded(url) {
  const image = new Image();
  await new Promise((resolve) => { image.onload = resolve; image.src = url; });
  const canvas = document.createElement('canvas');
  canvas.width = image.width; canvas.height = image.height;
  const paint = canvas.getContext('2d');
  paint.drawImage(image, 0, 0);
  return {paint, canvas};
}"""

# painted(element): a plot as plotly draws it to an image (decoded() comes with it).
PAINTED = DECODED + """
async function painted(element) {
  const url = await Plotly.toImage(element, {format: 'png', width: element.clientWidth, height: element.clientHeight});
  return {...await decoded(url), url};
}"""


def png_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()
