// Driver for one Faust workload: `faust [-double] -lang cpp -a driver.cpp W.dsp` puts the
// generated class where <<includeclass>> stands (its outputs are FAUSTFLOAT, float, in
// either precision). Renders argv[2] seconds (default 10) at 48 kHz in blocks of 512 into
// a preallocated buffer, 7 runs from a fresh state, and prints the median ns per frame;
// writes the first second of the first run (raw f32, native endian) to argv[1].
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

struct Meta {
    virtual void declare(const char*, const char*) {}
    virtual ~Meta() {}
};
struct UI {
    virtual ~UI() {}
    virtual void openVerticalBox(const char*) {}
    virtual void closeBox() {}
};
struct dsp {
    virtual ~dsp() {}
};

<<includeIntrinsic>>
<<includeclass>>

int main(int argc, char** argv) {
    const int sr = 48000, block = 512, runs = 7;
    const int frames = (argc > 2 ? std::atoi(argv[2]) : 10) * sr;
    std::vector<float> out(frames);
    std::vector<double> ns;
    for (int r = 0; r < runs; r++) {
        std::unique_ptr<mydsp> d(new mydsp());
        d->init(sr);
        auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < frames; i += block) {
            float* o = out.data() + i;
            d->compute(std::min(block, frames - i), nullptr, &o);
        }
        auto t1 = std::chrono::steady_clock::now();
        ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / frames);
        if (r == 0 && argc > 1) {
            FILE* f = std::fopen(argv[1], "wb");
            if (!f) return 1;
            std::fwrite(out.data(), sizeof(float), sr, f);
            std::fclose(f);
        }
    }
    std::sort(ns.begin(), ns.end());
    std::printf("%.4f\n", ns[runs / 2]);
    return 0;
}
