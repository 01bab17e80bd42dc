#!/bin/sh
# Draws the debugger's 16x16 icons with ImageMagick (drawn at 64x64, scaled down for smooth edges).
# Regenerate: cd debugger/icons && sh make-icons.sh
set -e
S="-size 64x64 xc:none"
R="-filter Lanczos -resize 16x16"
BLUE='#2f6db5'
# training (launch type, debug target, shortcut): a rounded blue tile with a falling loss curve
convert $S -fill "$BLUE" -draw "roundrectangle 2,2 61,61 12,12" \
  -fill none -stroke white -strokewidth 6 -draw "polyline 12,12 20,34 30,44 42,48 53,49" \
  -stroke none -fill '#ffb000' -draw "circle 53,49 53,41" $R -depth 8 PNG32:training.png
# thread running: a green play triangle
convert $S -fill '#2e9d3a' -stroke '#1d6d27' -strokewidth 3 -draw "polygon 14,6 56,32 14,58" $R -depth 8 PNG32:thread_running.png
# thread paused: two amber bars
convert $S -fill '#e8a317' -stroke '#a86f00' -strokewidth 3 \
  -draw "roundrectangle 12,8 26,56 3,3" -draw "roundrectangle 38,8 52,56 3,3" $R -depth 8 PNG32:thread_paused.png
# thread finished: a grey square
convert $S -fill '#9a9a9a' -stroke '#6a6a6a' -strokewidth 3 -draw "roundrectangle 10,10 54,54 6,6" $R -depth 8 PNG32:thread_finished.png
# stack frame (the paused jitted call): a violet box with a white f
convert $S -fill '#7a4bc2' -draw "roundrectangle 4,4 59,59 10,10" \
  -fill white -font DejaVu-Sans-Bold -pointsize 50 -gravity center -annotate +0+2 'f' $R -depth 8 PNG32:frame.png
# leaf (an array): a 3x3 grid of blue cells
convert $S -fill '#4a86c8' -stroke '#2a5a90' -strokewidth 2 \
  -draw "rectangle 4,4 22,22"  -draw "rectangle 23,4 41,22"  -draw "rectangle 42,4 60,22" \
  -draw "rectangle 4,23 22,41" -draw "rectangle 23,23 41,41" -draw "rectangle 42,23 60,41" \
  -draw "rectangle 4,42 22,60" -draw "rectangle 23,42 41,60" -draw "rectangle 42,42 60,60" $R -depth 8 PNG32:leaf.png
# scalar leaf: one cell
convert $S -fill '#4a86c8' -stroke '#2a5a90' -strokewidth 3 -draw "roundrectangle 14,14 50,50 5,5" $R -depth 8 PNG32:scalar.png
# group (a pytree node): a root with two children
convert $S -stroke '#6a6a6a' -strokewidth 5 -draw "line 32,18 14,46" -draw "line 32,18 50,46" \
  -stroke '#4a4a4a' -strokewidth 2 -fill '#d9a441' -draw "circle 32,16 32,5" \
  -fill '#4a86c8' -draw "circle 14,48 14,38" -draw "circle 50,48 50,38" $R -depth 8 PNG32:group.png
# NaN/Inf badge (overlay, bottom right): a red disc with a white '!', drawn at its own 8x8 size
convert -size 8x8 xc:none -fill '#d42020' -stroke '#a00000' -strokewidth 0.5 -draw "circle 3.5,3.5 3.5,0" \
  -stroke none -fill white -draw "rectangle 3,1 4,4" -draw "rectangle 3,6 4,6" -depth 8 PNG32:nan_ovr.png
# Runs view toolbar, each also at 32x32 as name@2x.png (HiDPI):
for size in 16 32; do
  at=$([ $size = 32 ] && echo "@2x" || echo "")
  Rs="-filter Lanczos -resize ${size}x${size}"
  # open run: an amber folder, its front flap open, with a blue run tile (the training icon's) going in
  convert $S -fill '#d9a441' -stroke '#9a6f1c' -strokewidth 3 \
    -draw "polygon 4,14 22,14 27,20 56,20 56,56 4,56" \
    -fill "$BLUE" -stroke none -draw "roundrectangle 26,4 54,30 5,5" \
    -fill none -stroke white -strokewidth 3 -draw "polyline 31,10 35,20 41,24 49,25" \
    -fill '#f2c562' -stroke '#9a6f1c' -strokewidth 3 -draw "polygon 12,30 61,30 53,57 4,57" \
    $Rs -depth 8 PNG32:open_run$at.png
  # refresh (re-read every run): a blue circular arrow
  convert $S -fill none -stroke "$BLUE" -strokewidth 8 -draw "arc 10,10 54,54 -60,230" \
    -stroke none -fill "$BLUE" -draw "polygon 40,2 60,18 38,26" \
    $Rs -depth 8 PNG32:refresh_runs$at.png
done
# views: the Runs view (a list of runs: three rows, each a small blue run tile and a line) at 16 and 32
for size in 16 32; do
  at=$([ $size = 32 ] && echo "@2x" || echo "")
  convert $S -fill "$BLUE" -draw "roundrectangle 3,5 17,19 3,3" -draw "roundrectangle 3,25 17,39 3,3" \
    -draw "roundrectangle 3,45 17,59 3,3" -fill '#6a6a6a' -draw "rectangle 24,10 60,14" \
    -draw "rectangle 24,30 60,34" -draw "rectangle 24,50 60,54" \
    -filter Lanczos -resize ${size}x${size} -depth 8 PNG32:runs_view$at.png
done
# compare runs (Runs view, Compare view): two loss curves, blue and orange, on one axis, at 16 and 32
for size in 16 32; do
  at=$([ $size = 32 ] && echo "@2x" || echo "")
  convert $S -fill none -stroke '#6a6a6a' -strokewidth 4 -draw "polyline 6,4 6,58 60,58" \
    -stroke "$BLUE" -strokewidth 6 -draw "polyline 12,10 20,32 32,42 56,46" \
    -stroke '#ff7f0e' -strokewidth 6 -draw "polyline 12,20 24,26 36,34 56,26" \
    -filter Lanczos -resize ${size}x${size} -depth 8 PNG32:compare_runs$at.png
done
