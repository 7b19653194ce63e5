tempo: 0.5
~drums $ s "808bd(3,4) cp"
~synth $ sine 330
out $ ~drums + ~synth * 0.3

